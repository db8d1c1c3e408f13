package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashIndexTest {
  /** Positions stand for keys here: key i lives at position i + 1. */
  private final Map<Long, byte[]> records = new HashMap<>();
  private final HashIndex.KeyMatcher matcher = (p, k) -> java.util.Arrays.equals(records.get(p), k);

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static int fingerprint(byte[] key) {
    return KeyHash.fingerprint(KeyHash.hash64(key, 0, key.length));
  }

  @Test
  void recoveryComparesKeysOnlyWhereHashAndFingerprintBothMatch() {
    // Two different keys with the same 32-bit hash and different fingerprints, found by search.
    Map<Integer, byte[]> byHash = new HashMap<>();
    byte[] a = null;
    byte[] b = null;
    for (int i = 0; a == null; i++) {
      byte[] k = ByteBuffer.allocate(8).putLong(i * 0x9E3779B97F4A7C15L).array();
      byte[] other = byHash.putIfAbsent(KeyHash.hash(k), k);
      if (other != null && fingerprint(other) != fingerprint(k)) {
        a = other;
        b = k;
      }
    }
    assertEquals(KeyHash.hash(a), KeyHash.hash(b));
    records.put(1L, a);
    records.put(2L, b);
    int[] comparisons = new int[1];
    // Record numbers 0 and 1 stand for the keys a and b being inserted.
    List<byte[]> inserted = List.of(a, b);
    HashIndex.RecordMatcher counting = (p, r) -> {
      comparisons[0]++;
      return java.util.Arrays.equals(records.get(p), inserted.get(r));
    };
    HashIndex index = new HashIndex(16);
    int h = KeyHash.hash(a);
    assertTrue(index.findOrInsertRecord(h, fingerprint(a), 1L, false, 0, counting) < 0);
    assertTrue(index.findOrInsertRecord(h, fingerprint(b), 2L, false, 1, counting) < 0,
        "a key with the same hash but another fingerprint is a new key");
    assertEquals(0, comparisons[0], "and telling them apart read no record");
    int slot = index.findOrInsertRecord(h, fingerprint(b), 3L, false, 1, counting);
    assertEquals(2L, index.positionAt(slot), "the same key is found again");
    assertEquals(1, comparisons[0], "by reading its record once");
    assertEquals(2L, index.find(b, h, matcher));
    assertEquals(1L, index.find(a, h, matcher));
  }

  /** Two different keys with the same 32-bit hash, found by search. */
  private static byte[][] collidingKeys() {
    Map<Integer, byte[]> byHash = new HashMap<>();
    for (int i = 0;; i++) {
      byte[] k = ByteBuffer.allocate(8).putLong(i * 0x9E3779B97F4A7C15L).array();
      byte[] other = byHash.putIfAbsent(KeyHash.hash(k), k);
      if (other != null) {
        return new byte[][] {other, k};
      }
    }
  }

  @Test
  void compactionDropsAVersionWithoutReadingARecordUnlessTwoKeysShareTheHash() {
    byte[][] pair = collidingKeys();
    byte[] a = pair[0];
    byte[] b = pair[1];
    byte[] c = key(7);
    int h = KeyHash.hash(a);
    int hc = KeyHash.hash(c);
    records.put(1L, a);
    records.put(2L, b);
    records.put(3L, c);
    int[] reads = new int[1];
    HashIndex.KeyMatcher counting = (p, k) -> {
      reads[0]++;
      return java.util.Arrays.equals(records.get(p), k);
    };
    HashIndex index = new HashIndex(16);
    index.put(c, hc, 3L, false, counting);
    index.addVersions(c, hc, 1, counting);
    index.addVersions(c, hc, 1, counting);
    reads[0] = 0;
    assertEquals(-1, index.dropVersionOfIndexedKey(c, hc, counting), "3 records -> 2: not the last");
    int slot = index.dropVersionOfIndexedKey(c, hc, counting);
    assertTrue(slot >= 0, "2 -> 1: the slot of the one left is reported");
    assertEquals(3L, index.positionAt(slot));
    assertEquals(0, reads[0], "the only entry carrying the hash is the key's: no record read");
    assertEquals(slot, index.dropVersionOfIndexedKey(c, hc, counting), "never below one record");
    assertEquals(1, index.versions(c, hc, matcher));

    index.put(a, h, 1L, false, counting);
    index.put(b, h, 2L, false, counting);
    index.addVersions(a, h, 1, counting);
    index.addVersions(b, h, 1, counting);
    reads[0] = 0;
    int slotB = index.dropVersionOfIndexedKey(b, h, counting);
    assertEquals(2L, index.positionAt(slotB), "b's own count, found by comparing keys");
    assertTrue(reads[0] > 0, "two entries share the hash: keys are compared");
    assertEquals(2, index.versions(a, h, matcher), "a's count is untouched");
    assertEquals(1, index.versions(b, h, matcher));
    assertTrue(index.holds(h, 1L) && index.holds(h, 2L));
    assertFalse(index.holds(h, 4L), "no entry at a position the index never held");
  }

  @Test
  void aSlotKnowsWhetherItsNewestRecordIsATombstoneThroughWritesRecoveryAndGrowth() {
    HashIndex index = new HashIndex(16);
    for (int i = 0; i < 1000; i++) {
      records.put(i + 1L, key(i));
      index.put(key(i), KeyHash.hash(key(i)), i + 1L, i % 3 == 0, matcher);
    }
    for (int i = 0; i < 1000; i += 2) {
      // Overwrites flip it both ways, and the index grew meanwhile (16 -> 1,000 keys).
      records.put(10_000L + i, key(i));
      index.put(key(i), KeyHash.hash(key(i)), 10_000L + i, i % 3 != 0, matcher);
    }
    for (int i = 0; i < 1000; i++) {
      boolean expected = i % 2 == 0 ? i % 3 != 0 : i % 3 == 0;
      int slot = index.dropVersionOfIndexedKey(key(i), KeyHash.hash(key(i)), matcher);
      assertTrue(slot >= 0);
      assertEquals(expected, index.tombstoneAt(slot), "key " + i);
      assertEquals(1, index.versions(key(i), KeyHash.hash(key(i)), matcher), "the bit leaves the count alone");
    }
    HashIndex recovered = new HashIndex(16);
    List<byte[]> keys = List.of(key(1), key(2));
    HashIndex.RecordMatcher sameKey = (p, r) -> java.util.Arrays.equals(records.get(p), keys.get(r));
    records.put(1L, key(1));
    records.put(2L, key(2));
    int s1 = -recovered.findOrInsertRecord(KeyHash.hash(key(1)), fingerprint(key(1)), 1L, true, 0, sameKey) - 1;
    int s2 = -recovered.findOrInsertRecord(KeyHash.hash(key(2)), fingerprint(key(2)), 2L, false, 1, sameKey) - 1;
    assertTrue(recovered.tombstoneAt(s1));
    assertFalse(recovered.tombstoneAt(s2));
    recovered.supersedeAt(s1, 5L, false);
    recovered.supersedeAt(s2, 6L, true);
    assertFalse(recovered.tombstoneAt(s1));
    assertTrue(recovered.tombstoneAt(s2));
    assertEquals(2, recovered.table().versions(s2));
    assertEquals(fingerprint(key(2)), recovered.table().fingerprint(s2), "the fingerprint is kept");
  }

  @Test
  void aSaturatedVersionCountNeverComesDownAndKeepsTheFingerprint() {
    HashIndex index = new HashIndex(16);
    byte[] k = key(42);
    HashIndex.RecordMatcher sameKey = (p, r) -> java.util.Arrays.equals(records.get(p), k);
    records.put(1L, k);
    int h = KeyHash.hash(k);
    int slot = -index.findOrInsertRecord(h, fingerprint(k), 1L, false, 0, sameKey) - 1;
    for (int i = 1; i < HashIndex.MAX_VERSIONS + 10; i++) {
      index.addVersionAt(slot);
    }
    assertEquals(HashIndex.MAX_VERSIONS, index.versions(k, h, matcher), "saturated, not wrapped into the fingerprint");
    assertEquals(HashIndex.MAX_VERSIONS, index.addVersions(k, h, -5, matcher),
        "a saturated count is not trusted downwards: a tombstone must not be dropped early");
    assertEquals(fingerprint(k), index.table().fingerprint(slot));
    assertEquals(h, index.table().hash(slot));
    assertFalse(index.tombstoneAt(slot), "nor into the tombstone bit");
  }

  @Test
  void findsWhatWasPutThroughManyGrowths() {
    HashIndex index = new HashIndex(4);
    for (int i = 0; i < 100_000; i++) {
      records.put(i + 1L, key(i));
      assertEquals(Position.NONE, index.put(key(i), KeyHash.hash(key(i)), i + 1L, false, matcher));
    }
    assertEquals(100_000, index.size());
    for (int i = 0; i < 100_000; i++) {
      assertEquals(i + 1L, index.find(key(i), KeyHash.hash(key(i)), matcher));
    }
    assertEquals(Position.NONE, index.find(key(-1), KeyHash.hash(key(-1)), matcher));
  }

  @Test
  void putOfAnExistingKeyReturnsThePreviousPosition() {
    HashIndex index = new HashIndex(16);
    records.put(1L, key(7));
    records.put(2L, key(7));
    index.put(key(7), KeyHash.hash(key(7)), 1L, false, matcher);
    assertEquals(1L, index.put(key(7), KeyHash.hash(key(7)), 2L, false, matcher));
    assertEquals(2L, index.find(key(7), KeyHash.hash(key(7)), matcher));
    assertEquals(1, index.size());
  }

  @Test
  void findOrInsertRecordInsertsOnlyAKeyNotYetIndexed() {
    HashIndex index = new HashIndex(4);
    // Record number i stands for key(i).
    HashIndex.RecordMatcher sameKey = (p, r) -> java.util.Arrays.equals(records.get(p), key(r));
    for (int i = 0; i < 10_000; i++) {
      records.put(i + 1L, key(i));
      int slot = index.findOrInsertRecord(KeyHash.hash(key(i)), fingerprint(key(i)), i + 1L, false, i, sameKey);
      assertTrue(slot < 0, "a new key is inserted");
      assertEquals(i + 1L, index.positionAt(-slot - 1));
    }
    for (int i = 0; i < 10_000; i++) {
      int slot = index.findOrInsertRecord(KeyHash.hash(key(i)), fingerprint(key(i)), 100_000L + i, false, i, sameKey);
      assertTrue(slot >= 0, "an indexed key is found");
      assertEquals(i + 1L, index.positionAt(slot), "an indexed key keeps its position");
      assertEquals(1, index.versions(key(i), KeyHash.hash(key(i)), matcher));
      index.supersedeAt(slot, 200_000L + i, false);
      records.put(200_000L + i, key(i));
      assertEquals(2, index.versions(key(i), KeyHash.hash(key(i)), matcher));
      assertEquals(200_000L + i, index.find(key(i), KeyHash.hash(key(i)), matcher));
    }
    assertEquals(10_000, index.size());
  }

  @Test
  void collidingHashesAreToldApartByTheKey() {
    HashIndex index = new HashIndex(16);
    int sameHash = 12345;
    for (int i = 0; i < 50; i++) {
      records.put(i + 1L, key(i));
      index.put(key(i), sameHash, i + 1L, false, matcher);
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1L, index.find(key(i), sameHash, matcher));
    }
  }

  @Test
  void replaceAndRemoveActOnlyOnTheExpectedPosition() {
    HashIndex index = new HashIndex(16);
    records.put(1L, key(1));
    int h = KeyHash.hash(key(1));
    index.put(key(1), h, 1L, false, matcher);
    assertFalse(index.replace(h, 99L, 5L), "the key moved on: no swap");
    assertTrue(index.replace(h, 1L, 5L));
    records.put(5L, key(1));
    assertEquals(5L, index.find(key(1), h, matcher));
    assertFalse(index.remove(h, 1L));
    assertTrue(index.remove(h, 5L));
    assertEquals(Position.NONE, index.find(key(1), h, matcher));
    assertEquals(0, index.size());
  }

  @Test
  void removedSlotsDoNotHideKeysFurtherAlongTheProbe() {
    HashIndex index = new HashIndex(16);
    for (int i = 0; i < 5; i++) {
      records.put(i + 1L, key(i));
      index.put(key(i), 7, i + 1L, false, matcher);
    }
    index.remove(7, 2L);
    for (int i = 0; i < 5; i++) {
      assertEquals(i == 1 ? Position.NONE : i + 1L, index.find(key(i), 7, matcher));
    }
  }

  @Test
  void hashSpreadsSimilarKeysAcrossSlots() {
    int buckets = 1024;
    int[] counts = new int[buckets];
    for (int i = 0; i < 100_000; i++) {
      counts[KeyHash.hash(("user" + String.format("%012d", i)).getBytes()) & (buckets - 1)]++;
    }
    for (int c : counts) {
      assertTrue(c > 50 && c < 150, "uneven bucket: " + c);
    }
  }
}
