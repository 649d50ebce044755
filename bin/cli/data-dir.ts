/** Where `npm start` keeps its data, its key and what it is running; commands remember uploads there too. */
export const dataDir = (): string => process.env.PRESSLINE_DATA_DIR ?? '.pressline';
