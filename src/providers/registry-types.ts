/** Kept for the providers that import ProviderFactory from here; it lives in provider.ts. */
export type { ProviderFactory } from './provider.js';
