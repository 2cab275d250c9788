/** 1:N search over every enrolled template, kept in one contiguous Float32Array so a probe scans memory linearly: the best and the second-best PERSON by squared euclidean distance. */

export const DESCRIPTOR_LENGTH = 128;

/** The nearest person and the nearest other person for one probe (distances are euclidean, not squared). */
export interface MatchResult {
  best: { staffId: number; distance: number; templateId: number } | null;
  /** The nearest template of a different person than `best`, or null when only one person is enrolled. */
  second: { staffId: number; distance: number } | null;
  templatesScanned: number;
}

/** Which templates a match looks at: everyone but `exclude`, or `only` one person's. */
export interface MatchOptions {
  exclude?: ReadonlySet<number>;
  only?: number;
}

/** An in-memory index of templates. Not thread-safe; one per FaceService. */
export interface TemplateIndex {
  /** Adds a template; throws when the descriptor is not 128 finite numbers. */
  add(templateId: number, staffId: number, descriptor: Float32Array): void;
  /** Removes every template of a person; returns how many were removed. */
  removePerson(staffId: number): number;
  clear(): void;
  size(): number;
  /** Best and second-best person for the probe (see {@link MatchResult}); `only` looks at one person's templates alone. */
  match(probe: Float32Array, options?: MatchOptions): MatchResult;
}

/** Creates an empty index that grows by doubling. */
export function createTemplateIndex(initialCapacity = 256): TemplateIndex {
  let capacity = Math.max(1, initialCapacity);
  let data = new Float32Array(capacity * DESCRIPTOR_LENGTH);
  let staffIds = new Int32Array(capacity);
  let templateIds = new Float64Array(capacity);
  let count = 0;

  const grow = (): void => {
    capacity *= 2;
    const nextData = new Float32Array(capacity * DESCRIPTOR_LENGTH);
    nextData.set(data.subarray(0, count * DESCRIPTOR_LENGTH));
    const nextStaff = new Int32Array(capacity);
    nextStaff.set(staffIds.subarray(0, count));
    const nextIds = new Float64Array(capacity);
    nextIds.set(templateIds.subarray(0, count));
    data = nextData;
    staffIds = nextStaff;
    templateIds = nextIds;
  };

  return {
    add(templateId, staffId, descriptor) {
      assertDescriptor(descriptor);
      if (count === capacity) grow();
      data.set(descriptor, count * DESCRIPTOR_LENGTH);
      staffIds[count] = staffId;
      templateIds[count] = templateId;
      count += 1;
    },
    removePerson(staffId) {
      let write = 0;
      for (let read = 0; read < count; read += 1) {
        if (staffIds[read] === staffId) continue;
        if (write !== read) {
          data.copyWithin(write * DESCRIPTOR_LENGTH, read * DESCRIPTOR_LENGTH, (read + 1) * DESCRIPTOR_LENGTH);
          staffIds[write] = staffIds[read];
          templateIds[write] = templateIds[read];
        }
        write += 1;
      }
      const removed = count - write;
      count = write;
      return removed;
    },
    clear() {
      count = 0;
    },
    size: () => count,
    match(probe, options) {
      assertDescriptor(probe);
      return scan(data, staffIds, templateIds, count, probe, options ?? {});
    },
  };
}

/** Throws unless the value is a 128-d descriptor of finite numbers. */
export function assertDescriptor(descriptor: Float32Array): void {
  if (!(descriptor instanceof Float32Array) || descriptor.length !== DESCRIPTOR_LENGTH) {
    throw new TypeError(`a face descriptor must be a Float32Array of ${DESCRIPTOR_LENGTH} numbers`);
  }
  for (let i = 0; i < DESCRIPTOR_LENGTH; i += 1) {
    if (!Number.isFinite(descriptor[i])) throw new TypeError('a face descriptor must hold finite numbers only');
  }
}

/** Euclidean distance between two descriptors. */
export function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

function scan(
  data: Float32Array,
  staffIds: Int32Array,
  templateIds: Float64Array,
  count: number,
  probe: Float32Array,
  { exclude, only }: MatchOptions,
): MatchResult {
  let bestD = Infinity;
  let bestStaff = -1;
  let bestIndex = -1;
  let secondD = Infinity;
  let secondStaff = -1;
  for (let t = 0; t < count; t += 1) {
    const staff = staffIds[t];
    if ((exclude && exclude.has(staff)) || (only !== undefined && staff !== only)) continue;
    const base = t * DESCRIPTOR_LENGTH;
    // Four accumulators: independent dependency chains the JIT can pipeline.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < DESCRIPTOR_LENGTH; i += 4) {
      const d0 = data[base + i] - probe[i];
      const d1 = data[base + i + 1] - probe[i + 1];
      const d2 = data[base + i + 2] - probe[i + 2];
      const d3 = data[base + i + 3] - probe[i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    const d = s0 + s1 + s2 + s3;
    if (staff === bestStaff) {
      if (d < bestD) {
        bestD = d;
        bestIndex = t;
      }
    } else if (d < bestD) {
      // The previous best person becomes the runner-up (it beat everyone else so far).
      secondD = bestD;
      secondStaff = bestStaff;
      bestD = d;
      bestStaff = staff;
      bestIndex = t;
    } else if (d < secondD) {
      secondD = d;
      secondStaff = staff;
    }
  }
  return {
    best: bestIndex >= 0 ? { staffId: bestStaff, distance: Math.sqrt(bestD), templateId: templateIds[bestIndex] } : null,
    second: secondStaff >= 0 ? { staffId: secondStaff, distance: Math.sqrt(secondD) } : null,
    templatesScanned: count,
  };
}
