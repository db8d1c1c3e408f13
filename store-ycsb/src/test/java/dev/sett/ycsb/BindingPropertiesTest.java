package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.SyncMode;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import site.ycsb.DBException;

class BindingPropertiesTest {

  private static Properties props(String... nameValues) {
    Properties p = new Properties();
    for (int i = 0; i < nameValues.length; i += 2) {
      p.setProperty(nameValues[i], nameValues[i + 1]);
    }
    return p;
  }

  @Test
  void aMissingDirectoryNamesThePropertyAndHowToSetIt() {
    DBException e = assertThrows(DBException.class, () -> BindingProperties.directory(props(), "sett.dir"));
    assertTrue(e.getMessage().contains("sett.dir is not set"), e.getMessage());
    assertTrue(e.getMessage().contains("-p sett.dir="), e.getMessage());
    assertThrows(DBException.class, () -> BindingProperties.directory(props("sett.dir", " "), "sett.dir"));
  }

  @Test
  void aDirectoryIsTakenAsGiven() throws DBException {
    assertEquals(Path.of("/tmp/x"), BindingProperties.directory(props("lmdb.dir", "/tmp/x"), "lmdb.dir"));
  }

  @Test
  void aChoiceIgnoresCaseDefaultsWhenAbsentAndListsTheConstantsWhenWrong() throws DBException {
    assertEquals(SyncMode.ALWAYS, BindingProperties.choice(props("s", "always"), "s", SyncMode.class, SyncMode.NONE));
    assertEquals(SyncMode.NONE, BindingProperties.choice(props(), "s", SyncMode.class, SyncMode.NONE));
    DBException e = assertThrows(DBException.class,
        () -> BindingProperties.choice(props("sett.sync", "GROUP"), "sett.sync", SyncMode.class, SyncMode.NONE));
    assertTrue(e.getMessage().contains("sett.sync=GROUP is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains("[NONE, ALWAYS]"), e.getMessage());
  }

  @Test
  void aFlagIsTrueOrFalseAndNothingElse() throws DBException {
    assertTrue(BindingProperties.flag(props("f", "TRUE"), "f", false));
    assertFalse(BindingProperties.flag(props("f", "false"), "f", true));
    assertTrue(BindingProperties.flag(props(), "f", true));
    DBException e = assertThrows(DBException.class, () -> BindingProperties.flag(props("rocksdb.sync", "yes"), "rocksdb.sync", false));
    assertTrue(e.getMessage().contains("rocksdb.sync=yes"), e.getMessage());
  }

  @Test
  void aSizeTakesBytesOrABinarySuffix() throws DBException {
    assertEquals(4096, BindingProperties.size(props("m", "4096"), "m", 1));
    assertEquals(64L << 30, BindingProperties.size(props("m", "64g"), "m", 1));
    assertEquals(512L << 20, BindingProperties.size(props("m", "512M"), "m", 1));
    assertEquals(2L << 40, BindingProperties.size(props("m", "2t"), "m", 1));
    assertEquals(7, BindingProperties.size(props(), "m", 7));
    for (String bad : new String[] {"0", "-1g", "1.5g", "g", "12x", "99999999999t"}) {
      DBException e = assertThrows(DBException.class, () -> BindingProperties.size(props("lmdb.mapsize", bad), "lmdb.mapsize", 1), bad);
      assertTrue(e.getMessage().contains("lmdb.mapsize=" + bad), e.getMessage());
    }
  }
}
