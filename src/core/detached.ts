// Results a scan keeps must not hold on to the text they came from: V8 makes a substring (a regex match,
// a slice) a view into the whole string, so one tag kept from a Dockerfile would keep all of its text
// alive. A structured clone copies every string into a string of its own.
export function detached<T>(value: T): T {
  return structuredClone(value);
}
