/** Renderer entry: mounts the kiosk app. Everything it knows comes through window.kiosk. */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installErrorForwarding } from './components/ErrorBoundary';
import './styles.css';

const root = document.getElementById('root');
if (root && window.kiosk) {
  installErrorForwarding(window.kiosk);
  createRoot(root).render(<App api={window.kiosk} />);
} else if (root) {
  root.textContent = 'HotelMate Kiosk: the kiosk API is missing (start it through Electron or the dev bridge).';
}
