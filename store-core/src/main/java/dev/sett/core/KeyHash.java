package dev.sett.core;

/**
 * A fast 32-bit hash of a key, eight bytes at a time with a strong final mix so that the low bits
 * (used for the table slot) and the high bits are both well spread.
 */
final class KeyHash {
  private static final long M = 0x9E3779B97F4A7C15L;

  private KeyHash() {
  }

  static int hash(byte[] key) {
    return hash(key, 0, key.length);
  }

  /** The hash of the key held in {@code length} bytes of {@code bytes} from {@code from}. */
  static int hash(byte[] bytes, int from, int length) {
    return fold(hash64(bytes, from, length));
  }

  /** The 64 bits {@link #hash} folds to 32: {@link #fold} and {@link #fingerprint} of it. */
  static long hash64(byte[] bytes, int from, int length) {
    long h = length * M;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      h = Long.rotateLeft(h ^ (Bytes.longLE(bytes, from + i) * M), 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int shift = 0; i < length; i++, shift += 8) {
      tail |= (bytes[from + i] & 0xFFL) << shift;
    }
    h ^= tail * M;
    // murmur3 fmix64
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The key's hash ({@link #hash}) from its {@link #hash64}. */
  static int fold(long h64) {
    return (int) h64 ^ (int) (h64 >>> 32);
  }

  /**
   * Eight more bits of the key, from its {@link #hash64}: keys whose folded hashes are equal still
   * have independent top bytes (the fold leaves 32 of the 64 bits free), so two keys that collide
   * on {@link #fold} share a fingerprint only once in 256 times.
   */
  static int fingerprint(long h64) {
    return (int) (h64 >>> 56);
  }
}
