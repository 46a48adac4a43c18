package example.greeter;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The greeter: every answer is read at request time from what the pod gives it.
 * <ul>
 * <li>{@code GREETING}: an environment variable set from a ConfigMap key;</li>
 * <li>{@code GREETER_CONFIG_FILE}: a properties file mounted by subPath from a ConfigMap;</li>
 * <li>{@code GREETER_TOKEN_FILE}: a Secret file (mode 0400); only its SHA-256, size and
 *     permissions are answered, never the token itself;</li>
 * <li>a file written and read back under {@code java.io.tmpdir} (Tomcat's {@code temp/}).</li>
 * </ul>
 * The source is written against jakarta.servlet (Tomcat 10 and newer); the rehearsal also
 * compiles it against javax.servlet (Tomcat 9 and older) to show that build failing on Tomcat 10.
 */
public class GreeterServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final AtomicLong requests = new AtomicLong();

    @Override
    public void init() {
        log("greeter started on " + getServletContext().getServerInfo() + " (servlet API " + apiPackage() + ")");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("servletApi", apiPackage());
        answer.put("serverInfo", getServletContext().getServerInfo());
        answer.put("contextPath", req.getContextPath());
        answer.put("greeting", System.getenv("GREETING"));

        String configFile = System.getenv("GREETER_CONFIG_FILE");
        answer.put("configFile", configFile);
        answer.put("config", configFile == null ? null : read(Paths.get(configFile)));

        String tokenFile = System.getenv("GREETER_TOKEN_FILE");
        answer.put("tokenFile", tokenFile);
        if (tokenFile != null) {
            Path token = Paths.get(tokenFile);
            byte[] bytes = Files.readAllBytes(token);
            answer.put("tokenSha256", sha256(bytes));
            answer.put("tokenBytes", bytes.length);
            answer.put("tokenPermissions", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        }

        String tmpdir = System.getProperty("java.io.tmpdir");
        Path written = Paths.get(tmpdir, "greeter-" + requests.incrementAndGet() + ".txt");
        Files.write(written, ("greeter wrote this at " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
        answer.put("tmpdir", tmpdir);
        answer.put("tmpFile", written.toString());
        answer.put("tmpFileContent", read(written));

        log("answered " + req.getRequestURI() + " with greeting " + answer.get("greeting"));
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(toJson(answer));
    }

    /** "jakarta" or "javax": the package of the HttpServlet this class was compiled against. */
    static String apiPackage() {
        return HttpServlet.class.getPackage().getName().split("\\.")[0];
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) hex.append(String.format("%02x", b));
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Map<String, Object> map) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (out.length() > 1) out.append(',');
            out.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            out.append(v == null ? "null" : v instanceof Number ? v.toString() : quote(v.toString()));
        }
        return out.append("}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
