// The view: what the app shows for a click count. Edit it and save while the page is open.
import { message } from './message.js';

export function render(clicks) {
  return `<p class="message">${message}</p><button type="button">clicked ${clicks} times</button>`;
}
