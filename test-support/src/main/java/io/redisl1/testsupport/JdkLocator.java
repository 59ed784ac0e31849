package io.redisl1.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds installed JDKs by major version so agent tests can also run on other Java releases. */
final class JdkLocator {
  /** Where Debian/Ubuntu packages and most CI images put JDKs. */
  private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");

  private JdkLocator() {}

  static Optional<Path> find(int featureVersion) {
    if (Runtime.version().feature() == featureVersion) {
      return Optional.of(Path.of(System.getProperty("java.home")));
    }
    if (!Files.isDirectory(JVM_ROOT)) {
      return Optional.empty();
    }
    // Debian adds alias symlinks (java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64); resolve
    // them and sort so the answer is the same on every run.
    try (Stream<Path> homes = Files.list(JVM_ROOT)) {
      return homes.map(JdkLocator::realPath)
          .distinct()
          .sorted()
          .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
          .filter(home -> featureVersion(home) == featureVersion)
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + JVM_ROOT, e);
    }
  }

  /** Major version from {@code release}'s JAVA_VERSION ("25.0.3", "1.8.0_412"); -1 if unknown. */
  static int featureVersion(Path javaHome) {
    try (Stream<String> lines = Files.lines(javaHome.resolve("release"))) {
      return lines.filter(line -> line.startsWith("JAVA_VERSION="))
          .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "").trim())
          .map(JdkLocator::major)
          .findFirst()
          .orElse(-1);
    } catch (IOException | UncheckedIOException e) {
      return -1; // no release file: not a JDK image we can vouch for
    }
  }

  private static int major(String version) {
    String[] parts = version.split("[._+-]");
    try {
      int first = Integer.parseInt(parts[0]);
      return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
