package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordKeysTest {
  private final RecordKeys keys = new RecordKeys();

  @Test
  void aKeyIsTheTableAZeroByteAndTheKeyInUtf8() {
    assertArrayEquals(new byte[] {'t', 0, 'k', '1'}, keys.key("t", "k1"));
    assertArrayEquals(new byte[] {'t', 'b', 0, (byte) 0xC3, (byte) 0xA9}, keys.key("tb", "é"));
  }

  @Test
  void theTableEndIsAboveEveryKeyOfTheTableAndBelowEveryKeyOfTheNextTables() {
    byte[] end = keys.tableEnd("usertable");

    assertTrue(Arrays.compareUnsigned(keys.key("usertable", "\uffff\uffff"), end) < 0);
    assertTrue(Arrays.compareUnsigned(keys.key("usertable", ""), end) < 0);
    assertTrue(Arrays.compareUnsigned(keys.key("usertable0", ""), end) >= 0);
    assertTrue(Arrays.compareUnsigned(keys.key("usertable\u0001", ""), end) >= 0);
    assertTrue(Arrays.compareUnsigned(keys.key("usertabl", "z"), keys.key("usertable", "")) < 0);
  }

  @Test
  void switchingTablesRecomputesThePrefix() {
    keys.key("a", "1");
    assertArrayEquals(new byte[] {'b', 0, '1'}, keys.key("b", "1"));
    assertArrayEquals(new byte[] {'b', 1}, keys.tableEnd("b"));
  }

  @Test
  void aTableNameWithU0000IsRefusedBecauseItWouldOverlapAnotherTable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys.key("a\0b", "k"));
    assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
  }
}
