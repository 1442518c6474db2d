/** The image types the library takes, for the file picker (the server checks the bytes whatever the name says). */
export const ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp,image/gif,image/avif";
