package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyHashTest {
  /** An open hashes keys where they lie in a hint's bytes; the index hashes whole arrays: the same hash. */
  @Test
  void aKeyInsideLargerBytesHashesAsTheKeyAlone() {
    Random random = new Random(9);
    for (int length = 1; length < 70; length++) {
      byte[] bytes = new byte[length + 23];
      random.nextBytes(bytes);
      for (int from = 0; from + length <= bytes.length; from += 5) {
        byte[] key = Arrays.copyOfRange(bytes, from, from + length);
        assertEquals(KeyHash.hash(key), KeyHash.hash(bytes, from, length), "length " + length + " at " + from);
      }
    }
  }
}
