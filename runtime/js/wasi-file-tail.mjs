
export { importObject };
