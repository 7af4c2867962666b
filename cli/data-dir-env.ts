/** The local install every persistent command works on: `--data-dir`, or this variable. */
export const DATA_DIR_ENV = 'ZENDESK_WFM_DATA_DIR';
