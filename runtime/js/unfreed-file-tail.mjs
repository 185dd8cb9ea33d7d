
export { Unfreed };
