package dev.sett.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteBatchTest {
  @Test
  void operationsAreCopiedAndKeptInOrder() {
    byte[] k = {1};
    byte[] v = {2};
    WriteBatch b = new WriteBatch().put(k, v).delete(new byte[] {3});
    k[0] = 9;
    v[0] = 9;
    assertEquals(2, b.size());
    assertArrayEquals(new byte[] {1}, b.operations().get(0).key());
    assertArrayEquals(new byte[] {2}, b.operations().get(0).value());
    assertTrue(b.operations().get(1).isDelete());
    assertEquals(3, b.payloadBytes());
    assertThrows(UnsupportedOperationException.class, () -> b.operations().clear());
    assertTrue(b.clear().isEmpty());
    assertEquals(0, b.payloadBytes());
  }

  @Test
  void putWithoutCopyKeepsTheCallersArraysAndChecksThemLikePut() {
    byte[] k = {1, 2};
    byte[] v = {3};
    WriteBatch b = new WriteBatch().putWithoutCopy(k, v);
    assertTrue(b.operations().get(0).key() == k && b.operations().get(0).value() == v, "the arrays must not be copied");
    assertEquals(3, b.payloadBytes());
    assertThrows(InvalidInputException.class, () -> b.putWithoutCopy(new byte[0], v));
    assertThrows(InvalidInputException.class, () -> b.putWithoutCopy(null, v));
    assertThrows(InvalidInputException.class, () -> b.putWithoutCopy(k, null));
    assertEquals(1, b.size());
  }
}
