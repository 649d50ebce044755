/** Types of `linux-arm64-packages.mjs` (plain JavaScript so that `postinstall` needs no TypeScript runner). */
export interface LockedPackage {
  name: string;
  version: string;
  integrity: string | undefined;
  /** Reached only as an optional dependency (a prebuilt binary for the target platform). */
  optional: boolean;
}

export const PROJECT_ROOT: string;
export function linuxArm64Folder(projectRoot: string, name: string): string;
export function lockedClosure(projectRoot: string, name: string): LockedPackage[];
export function folderProblem(projectRoot: string, name: string): string | undefined;
export function fetchLinuxArm64(projectRoot: string, name: string): void;
export function copyLinuxArm64(projectRoot: string, name: string, destination: string): void;
