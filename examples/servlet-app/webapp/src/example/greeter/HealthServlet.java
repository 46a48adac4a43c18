package example.greeter;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** The probes' endpoint: 200 "OK" when the configuration files the greeter needs are readable, else 503. */
public class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        for (String variable : new String[] {"GREETER_CONFIG_FILE", "GREETER_TOKEN_FILE"}) {
            String file = System.getenv(variable);
            if (file == null || !Files.isReadable(Paths.get(file))) {
                resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                resp.getWriter().write("not ready: " + variable + " (" + file + ") is not readable\n");
                return;
            }
        }
        resp.getWriter().write("OK\n");
    }
}
