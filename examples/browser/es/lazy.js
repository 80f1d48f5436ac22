export const message = `loaded on demand from ${import.meta.url.split('/').slice(-2).join('/')}`;
