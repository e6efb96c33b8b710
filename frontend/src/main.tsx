import { render } from 'preact';
import { App } from './app/App';
import { restoreSession } from './store';
import './styles/index.css';

const root = document.getElementById('app');
if (root) {
  restoreSession();
  render(<App />, root);
}
