// Edit this text and save while the page is open.
export const message = 'Hello from message.js';
