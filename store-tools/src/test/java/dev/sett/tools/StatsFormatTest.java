package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsFormatTest {

  @Test
  void sizeUsesBinaryUnitsWithOneDecimal() {
    assertEquals("1023 B", StatsFormat.size(1023));
    assertEquals("1.0 KiB", StatsFormat.size(1024));
    assertEquals("64.0 MiB", StatsFormat.size(64L << 20));
  }

  @Test
  void countUsesCommasInEveryLocale() {
    assertEquals("1,002,000", StatsFormat.count(1_002_000));
  }
}
