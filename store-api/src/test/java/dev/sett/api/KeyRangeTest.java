package dev.sett.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyRangeTest {
  @Test
  void prefixEndsAtTheNextPrefix() {
    assertArrayEquals(new byte[] {'a', 'c'}, KeyRange.prefix(new byte[] {'a', 'b'}).upperBound());
    assertArrayEquals(new byte[] {'b'}, KeyRange.prefix(new byte[] {'a', (byte) 0xFF}).upperBound());
    assertNull(KeyRange.prefix(new byte[] {(byte) 0xFF, (byte) 0xFF}).upperBound());
  }

  @Test
  void containsUsesUnsignedOrder() {
    KeyRange r = KeyRange.between(new byte[] {0x10}, new byte[] {(byte) 0x90});
    assertTrue(r.contains(new byte[] {0x10}));
    assertTrue(r.contains(new byte[] {(byte) 0x80}));
    assertFalse(r.contains(new byte[] {(byte) 0x90}));
    assertFalse(r.contains(new byte[] {0x0F}));
  }

  @Test
  void boundsAreCopiedBothWays() {
    byte[] from = {1};
    KeyRange r = KeyRange.from(from);
    from[0] = 9;
    assertArrayEquals(new byte[] {1}, r.lowerBound());
    r.lowerBound()[0] = 7;
    assertArrayEquals(new byte[] {1}, r.lowerBound());
  }

  @Test
  void reverseFlipsOnlyTheDirection() {
    KeyRange r = KeyRange.prefix(new byte[] {5}).reverse();
    assertTrue(r.isReverse());
    assertFalse(r.reverse().isReverse());
    assertArrayEquals(new byte[] {6}, r.upperBound());
  }
}
