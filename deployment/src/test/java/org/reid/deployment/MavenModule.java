package org.reid.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** What a module's pom.xml says about the jar it builds, read with the JDK's XML parser. */
final class MavenModule {
    private final Document pom;

    private MavenModule(Document pom) {
        this.pom = pom;
    }

    static MavenModule read(Path pomXml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new MavenModule(factory.newDocumentBuilder().parse(pomXml.toFile()));
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pomXml + ": " + e, e);
        }
    }

    /**
     * The runnable jar's file name in target/: finalName plus the spring-boot-maven-plugin's
     * classifier when it repackages under one (the shade plugin replaces the main jar).
     */
    String runnableJarName() {
        Element build = child(pom.getDocumentElement(), "build");
        String finalName = build == null ? null : text(child(build, "finalName"));
        if (finalName == null) {
            throw new AssertionError("pom has no <build><finalName>: the jar name would carry the version");
        }
        String classifier = null;
        Element plugins = child(build, "plugins");
        if (plugins != null) {
            for (Element plugin : children(plugins, "plugin")) {
                if ("spring-boot-maven-plugin".equals(text(child(plugin, "artifactId")))) {
                    Element configuration = child(plugin, "configuration");
                    classifier = configuration == null ? null : text(child(configuration, "classifier"));
                }
            }
        }
        return classifier == null ? finalName + ".jar" : finalName + "-" + classifier + ".jar";
    }

    /** The parent pom's {@code <modules>}. */
    List<String> modules() {
        Element modules = child(pom.getDocumentElement(), "modules");
        return modules == null ? List.of() : children(modules, "module").stream().map(MavenModule::text).toList();
    }

    String property(String name) {
        Element properties = child(pom.getDocumentElement(), "properties");
        return properties == null ? null : text(child(properties, name));
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
