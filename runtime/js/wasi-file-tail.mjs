
export { wasiImports };
