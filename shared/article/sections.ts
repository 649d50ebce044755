/**
 * The sections the newsroom offers in its Section menu. The API takes any section slug (see
 * `SECTION_SLUG`); this list is the newsroom's usual desks, and an article already in another
 * section keeps it when opened.
 */
export const NEWSROOM_SECTIONS: readonly string[] = ['world', 'uk-politics', 'business', 'technology', 'science', 'health', 'sport', 'culture', 'opinion'];
