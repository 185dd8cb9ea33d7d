// jetblack.mjs - @jetblack/wasi-marshalling 0.7.6 over the raw exports
// (raw.c) of the same module instance, so both peers share one memory and
// one allocator. Prototypes as its README writes them: ArrayType and
// StringType copy in and out and free at once.
import jb from '@jetblack/wasi-marshalling';

const { MemoryManager, FunctionPrototype, In, ArrayType, StringType, Int32Type, Uint32Type, Uint8Type, Float64Type } = jb;

// 0.7.6 reads every result through its type's unmarshall(), which for a
// number type loads from memory at the returned "address": a scalar result
// needs this pass-through (the least a user can write).
const Scalar = { unmarshall: (mm, value) => value };

export function jetblackPeer(x) {
  // StringType allocates byteLength + 1 but never writes the NUL: zero the
  // last byte of every block (one store), or C's strlen reads garbage.
  const malloc = (n) => {
    const p = x.raw_malloc(n);
    new Uint8Array(x.memory.buffer)[p + n - 1] = 0;
    return p;
  };
  const mm = new MemoryManager(x.memory, malloc, x.raw_free);
  const proto = (args, ret) => new FunctionPrototype(args.map((t) => new In(t)), ret);
  const byArg = (i) => (_, args) => args[i];

  const add = proto([new Int32Type(), new Int32Type()], Scalar);
  const reverse = proto([new StringType()], new StringType());
  const sum = proto([new ArrayType(new Float64Type()), new Uint32Type()], Scalar);
  const make = proto([new Uint32Type()], new ArrayType(new Uint8Type(), byArg(0)));
  const vadd = proto([new ArrayType(new Float64Type()), new ArrayType(new Float64Type()), new Uint32Type()],
    new ArrayType(new Float64Type(), byArg(2)));
  const vscale = proto([new ArrayType(new Float64Type()), new Uint32Type(), new Float64Type()],
    new ArrayType(new Float64Type(), byArg(1)));

  return {
    add: (a, b) => add.invoke(mm, x.raw_add, a, b),
    reverse: (s) => reverse.invoke(mm, x.raw_reverse_z, s),
    sum: (v) => sum.invoke(mm, x.raw_sum, v, v.length),
    makeCopy: (n) => make.invoke(mm, x.raw_make, n),
    chain: (a, b, k) => vscale.invoke(mm, x.raw_vscale, vadd.invoke(mm, x.raw_vadd, a, b, a.length), a.length, k),
  };
}
