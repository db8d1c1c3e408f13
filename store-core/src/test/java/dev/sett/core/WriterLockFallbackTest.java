package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WriterLockTest} again with the fallback that platforms without the native lock use (the
 * JDK's {@code FileChannel} lock, which Sett never drops itself), here, in the class loader copy and
 * in the child JVMs. The cases it cannot pass are the weaker guarantee {@link DirectoryLock}
 * documents; they are overridden without {@code @Test} below, with the reason.
 */
class WriterLockFallbackTest extends WriterLockTest {
  private static final String PROPERTY = "sett.test.jdkLocks";

  @BeforeEach
  void useTheFallback() {
    System.setProperty(PROPERTY, "true"); // for the class loader copy
    DirectoryLock.jdkLocksOnly = true;
  }

  @AfterEach
  void useTheNativeLockAgain() {
    System.clearProperty(PROPERTY);
    DirectoryLock.jdkLocksOnly = false;
  }

  @Override
  List<String> childJvmOptions() {
    return List.of("-D" + PROPERTY + "=true");
  }

  @Override
  void otherCodeReadsTheLockFile() {
    // The fallback's documented weakness: that would unlock the reader.
  }

  @Test
  @Override
  void linuxUsesOpenFileDescriptionLocks() {
    assertEquals("jdk", DirectoryLock.mechanism());
  }

  // Not cases for the fallback (overridden without @Test, so they do not run here); each is the
  // weaker guarantee DirectoryLock documents and the README states:
  // - code outside Sett that closes a descriptor of LOCK drops the JDK's lock;
  // - in the end-to-end case the writer JVM itself reads LOCK, which drops it;
  // - the JVM refuses Sett a JDK lock beside another JDK lock of the same JVM on the file, even a
  //   shared one beside a shared one.

  @Override
  void userCodeReadingOrCopyingTheLockFileLeavesTheLockHeld() {
  }

  @Override
  void everyAcknowledgedWriteSurvivesASecondJvmTryingToOpen() {
  }

  @Override
  void aJdkLockHeldByOtherCodeInThisProcessIsNeverReleasedBySett() {
  }
}
