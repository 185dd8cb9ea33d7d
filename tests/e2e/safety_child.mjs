// safety_child.mjs - scenarios of safety.test.mjs that could end the process
// they run in; run as `node --expose-gc safety_child.mjs NAME`. Prints a JSON
// summary on success.
import { load, collect } from './helpers.mjs';

const scenario = process.argv[2];
if (scenario === 'full-queue') {
  // More finalized resources than the queue's 1,024 slots, each destructor
  // throwing: nothing may run them inside the FinalizationRegistry callback.
  const errors = [];
  const { m } = await load('safety', {
    imports: { dropping: () => { throw new Error('destructor'); }, poke: () => {} },
    onError: (e) => errors.push(e),
  });
  (() => { for (let i = 0; i < 3000; i++) new m.Thing(i); })();
  await collect(() => m.stats().pendingFrees >= 3000, 200);
  const live = m.liveThings(); // the next call runs the destructors
  console.log(JSON.stringify({ errors: errors.length, live }));
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
