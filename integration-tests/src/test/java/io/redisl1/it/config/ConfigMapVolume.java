package io.redisl1.it.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A directory laid out as the kubelet lays out a ConfigMap volume: {@code redis-l1.yaml ->
 * ..data/redis-l1.yaml}, {@code ..data -> ..<version>}; an update writes a new version directory,
 * points a {@code ..data_tmp} link at it, renames that over {@code ..data} and deletes the old one.
 */
final class ConfigMapVolume {
  private final Path dir;
  private int version;

  ConfigMapVolume(Path dir) {
    this.dir = dir;
  }

  /** The path the application is given: a link through {@code ..data}. */
  Path file() {
    Path file = dir.resolve("redis-l1.yaml");
    try {
      if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(file, Path.of("..data/redis-l1.yaml"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  void publish(String yaml) {
    try {
      Path previous = version == 0 ? null : dir.resolve("..v" + version);
      version++;
      Path next = Files.createDirectory(dir.resolve("..v" + version));
      Files.writeString(next.resolve("redis-l1.yaml"), yaml);
      Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v" + version));
      Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (previous != null) {
        Files.delete(previous.resolve("redis-l1.yaml"));
        Files.delete(previous);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
