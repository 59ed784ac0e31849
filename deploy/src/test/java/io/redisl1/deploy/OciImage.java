package io.redisl1.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The init-container image from deploy/image/build-offline.sh, unpacked as a runtime would. */
final class OciImage {
  static final Path BUILD_SCRIPT = Manifests.DEPLOY.resolve("image/build-offline.sh");
  /** buildah with a private vfs store copies the 8 MB layer a few times: seconds, not minutes. */
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration TAR_TIMEOUT = Duration.ofMinutes(1);

  final Path rootfs;
  /** The image config's "config" object: User, Env... */
  final Map<String, Object> config;
  /** `tar -tv` lines of the image's layers: the modes and owners the image itself carries. */
  final List<String> layerListing;

  private OciImage(Path rootfs, Map<String, Object> config, List<String> layerListing) {
    this.rootfs = rootfs;
    this.config = config;
    this.layerListing = layerListing;
  }

  /** Runs build-offline.sh (needs Debian's buildah and busybox-static) and returns its archive. */
  static Path buildOffline(Path agentJar) {
    Tools.require("buildah", "buildah");
    Tools.requireFile(Path.of("/bin/busybox"), "busybox-static");
    String out = Tools.run(BUILD_TIMEOUT, BUILD_SCRIPT.toString(), agentJar.toString());
    Path archive = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    assertTrue(Files.isRegularFile(archive), "build-offline.sh printed " + out);
    return archive;
  }

  /** Unpacks an OCI archive: index -> manifest -> config and layers, extracted into {@code dir/rootfs}. */
  static OciImage unpack(Path archive, Path dir) throws IOException {
    Path layout = Files.createDirectories(dir.resolve("oci"));
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Tools.run(TAR_TIMEOUT, "tar", "-xf", archive.toString(), "-C", layout.toString());
    Map<String, Object> index = json(layout.resolve("index.json"));
    List<Map<String, Object>> manifests = Yaml.list(index, "manifests");
    assertEquals(1, manifests.size(), "one image in " + archive);
    Map<String, Object> manifest = json(blob(layout, manifests.get(0)));
    Map<String, Object> config = Yaml.map(json(blob(layout, Yaml.map(manifest, "config"))), "config");
    List<String> listing = new ArrayList<>();
    for (Map<String, Object> layer : Yaml.list(manifest, "layers")) {
      String mediaType = (String) layer.get("mediaType");
      String flags = mediaType.endsWith("+gzip") ? "z" : "";
      Path file = blob(layout, layer);
      listing.addAll(Tools.run(TAR_TIMEOUT, "tar", "-tv" + flags + "f", file.toString()).lines().toList());
      Tools.run(TAR_TIMEOUT, "tar", "-x" + flags + "f", file.toString(), "-C", rootfs.toString());
    }
    return new OciImage(rootfs, config, listing);
  }

  /** Regular files in the image, relative to its root. */
  List<String> files() throws IOException {
    try (Stream<Path> all = Files.walk(rootfs)) {
      return all.filter(Files::isRegularFile).map(p -> rootfs.relativize(p).toString()).sorted().toList();
    }
  }

  /** The `tar -tv` line of {@code path} (e.g. "javaagent.jar"), starting with its mode. */
  String listingOf(String path) {
    return layerListing.stream()
        .filter(line -> line.endsWith(" " + path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + path + " in the image's layers: " + layerListing));
  }

  /** A program name resolved as the runtime would: through the image's PATH. */
  Path resolveCommand(String name) {
    String path = ((List<?>) config.getOrDefault("Env", List.of())).stream()
        .map(Object::toString)
        .filter(e -> e.startsWith("PATH="))
        .map(e -> e.substring(5))
        .findFirst()
        .orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = inImage(dir + "/" + name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(name + " is not on the image's PATH " + path);
  }

  Path inImage(String absolutePath) {
    return rootfs.resolve(absolutePath.substring(1));
  }

  /** True if the ELF file asks for a program interpreter (the dynamic loader a scratch image lacks). */
  static boolean isDynamicallyLinked(Path elf) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(elf)).order(ByteOrder.LITTLE_ENDIAN);
    assertTrue(b.getInt(0) == 0x464c457f && b.get(4) == 2, elf + " is not a 64-bit ELF file");
    long phoff = b.getLong(0x20);
    int phentsize = Short.toUnsignedInt(b.getShort(0x36));
    int phnum = Short.toUnsignedInt(b.getShort(0x38));
    for (int i = 0; i < phnum; i++) {
      if (b.getInt((int) (phoff + (long) i * phentsize)) == 3) { // PT_INTERP
        return true;
      }
    }
    return false;
  }

  private static Path blob(Path layout, Map<String, Object> descriptor) {
    String digest = (String) descriptor.get("digest");
    assertTrue(digest.startsWith("sha256:"), "digest " + digest);
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static Map<String, Object> json(Path file) {
    try {
      return Yaml.parseAll(Files.readString(file)).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
