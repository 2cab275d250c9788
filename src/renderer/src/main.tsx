/** Renderer entry: mounts the kiosk app. Everything it knows comes through window.kiosk. */
import { createRoot } from 'react-dom/client';

function App(): JSX.Element {
  return <main>HotelMate Kiosk</main>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
