/** The cold-start floor: a handler with no imports, bundled exactly like the real ones. */
export async function handler(): Promise<{ statusCode: number }> {
  return { statusCode: 204 };
}
