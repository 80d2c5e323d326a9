// A loader that counts its calls and settles only when told to, so lookups overlap for certain. With
// `events`, each call is logged as `<name> loads` (to check the order of loads across "processes").
export function gatedLoader<T>(name = 'loader', events?: string[]) {
  let calls = 0;
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const gate = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return {
    load: () => {
      calls++;
      events?.push(`${name} loads`);
      return gate;
    },
    calls: () => calls,
    open: (value: T) => open(value),
    fail: (error: Error) => fail(error),
  };
}
