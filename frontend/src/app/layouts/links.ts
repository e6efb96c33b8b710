/** An inline text link on the light auth and content pages. */
export const TEXT_LINK = 'font-medium text-green-700 hover:text-green-800 hover:underline';
