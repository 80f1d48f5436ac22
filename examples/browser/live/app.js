// The application: keeps the click count (its own state) and accepts updates of the view. When
// view.js or message.js changes, this module is not run again: its `render` import reads the new
// module, and the accept callback renders with it.
import { render } from './view.js';

let clicks = 0;
let root;

function update() {
  root.innerHTML = render(clicks);
  root.querySelector('button').onclick = () => {
    clicks += 1;
    update();
  };
}

export function mount(element) {
  root = element;
  update();
}

if (import.meta.hot) {
  import.meta.hot.accept('./view.js', () => update());
}
