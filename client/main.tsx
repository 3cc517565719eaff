import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LocaleProvider } from './i18n/locale';
import './styles.css';
import { createClients, TRPCProvider } from './trpc';

const { queryClient, trpcClient } = createClients();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <LocaleProvider>
          <App />
        </LocaleProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
