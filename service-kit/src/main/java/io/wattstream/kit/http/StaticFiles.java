package io.wattstream.kit.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Files from a classpath folder, read once at start-up and served from memory, each under its own
 * path (so a path that is not a file is a 404, and a file asked with another method a 405). Every
 * file has a strong validator, an {@code ETag} from its content's SHA-256, and a {@code Cache-Control};
 * a request whose {@code If-None-Match} names the current version gets a 304 with the file's
 * validators and no body.
 */
public final class StaticFiles implements HttpService {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "map", "application/json",
            "txt", "text/plain; charset=utf-8");

    /** One file: where it is served, its bytes and its headers. */
    record File(String path, byte[] body, String contentType, String etag, String cacheControl) {
    }

    private final List<File> files;
    private final Map<String, File> welcome = new LinkedHashMap<>();

    private StaticFiles(List<File> files, String welcomeFile) {
        this.files = files;
        if (welcomeFile != null) {
            files.stream().filter(f -> f.path().endsWith("/" + welcomeFile)).forEach(f -> {
                String dir = f.path().substring(0, f.path().length() - welcomeFile.length());
                welcome.put(dir, f);
            });
        }
    }

    /**
     * Every file under the classpath folder {@code folder} (in a jar or a directory), served under
     * {@code urlPrefix}; a directory's {@code welcomeFile} (e.g. {@code index.html}) also answers the
     * directory's own path. {@code cacheControl} is sent with every file.
     */
    public static StaticFiles fromClasspath(ClassLoader cl, String folder, String urlPrefix, String welcomeFile,
                                            String cacheControl) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        try {
            Enumeration<URL> roots = cl.getResources(folder);
            while (roots.hasMoreElements()) {
                read(roots.nextElement(), folder, found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath folder " + folder, e);
        }
        List<File> files = new ArrayList<>();
        String base = urlPrefix.endsWith("/") ? urlPrefix.substring(0, urlPrefix.length() - 1) : urlPrefix;
        found.forEach((relative, body) -> files.add(new File(base + "/" + relative, body, type(relative),
                etag(body), cacheControl)));
        return new StaticFiles(files, welcomeFile);
    }

    /** True when there is nothing to serve (the folder is not on the classpath). */
    public boolean isEmpty() {
        return files.isEmpty();
    }

    @Override
    public void routing(HttpRules rules) {
        for (File f : files) {
            rules.get(f.path(), (req, res) -> serve(f, req, res));
        }
        welcome.forEach((dir, f) -> {
            rules.get(dir, (req, res) -> serve(f, req, res));
            if (dir.length() > 1) {
                // "/webjars/x" without its slash: the same file
                rules.get(dir.substring(0, dir.length() - 1), (req, res) -> serve(f, req, res));
            }
        });
    }

    private static void serve(File f, ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ETAG, f.etag());
        res.header(HeaderNames.CACHE_CONTROL, f.cacheControl());
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (notModified(f, req)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, f.contentType()));
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(f.body());
    }

    /** {@code If-None-Match} names this version: the file's own tag or the one of its gzip form. */
    private static boolean notModified(File f, ServerRequest req) {
        if (!req.headers().contains(HeaderNames.IF_NONE_MATCH)) {
            return false;
        }
        String plain = opaque(f.etag());
        for (String value : req.headers().get(HeaderNames.IF_NONE_MATCH).allValues()) {
            for (String tag : value.split(",")) {
                String t = opaque(tag.trim());
                if (t.equals("*") || t.equals(plain) || t.equals(plain + Compression.ETAG_SUFFIX)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The tag without quotes; a weak tag compares equal for {@code If-None-Match} (RFC 9110 13.1.2). */
    private static String opaque(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void read(URL root, String folder, Map<String, byte[]> found) throws IOException {
        if (root.getProtocol().equals("jar")) {
            JarURLConnection conn = (JarURLConnection) root.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                String prefix = folder.endsWith("/") ? folder : folder + "/";
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            found.putIfAbsent(entry.getName().substring(prefix.length()), in.readAllBytes());
                        }
                    }
                }
            }
        } else if (root.getProtocol().equals("file")) {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    found.putIfAbsent(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        }
    }
}
