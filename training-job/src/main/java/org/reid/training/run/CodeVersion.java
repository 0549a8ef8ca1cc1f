package org.reid.training.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The training job's version (from the build), recorded in configs and manifests. */
public final class CodeVersion {
    private CodeVersion() {}

    public static String get() {
        try (InputStream in = CodeVersion.class.getResourceAsStream("/training-job.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return "training-job " + p.getProperty("version", "dev");
        } catch (IOException e) {
            return "training-job dev";
        }
    }
}
