// graphql-js through its CommonJS entry, on purpose. graphql 16 has no "exports" map: Node (and so
// Pothos, Yoga and envelop) loads index.js, while Vite-based runners (vitest) resolve a bare
// 'graphql' in our sources to the "module" entry index.mjs. Two copies mean "Cannot use
// GraphQLSchema from another module or realm" and our GraphQLErrors failing Yoga's instanceof
// check (so they get masked). Importing graphql only from here keeps one instance everywhere.
export * from 'graphql/index.js';
