package org.reid.service.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.reid.core.data.MarketName;
import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.IdentityErased;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Erasure reaches the demo's files: when an identity is erased, its crops under
 * {@code <data-dir>/demo} (gallery and held-out queries, named by the Market-1501 scheme) are
 * deleted, and the contact sheet that pictures every demo identity with them.
 */
@Component
class DemoCropEraser {
    private static final Logger log = LoggerFactory.getLogger(DemoCropEraser.class);
    static final String CONTACT_SHEET = "contact-sheet.png";

    private final Path demo;

    DemoCropEraser(ReidProperties properties) {
        this.demo = properties.getDataDir().toAbsolutePath().resolve("demo");
    }

    @EventListener
    void erase(IdentityErased erased) {
        if (!Files.isDirectory(demo)) {
            return;
        }
        try (Stream<Path> files = Files.walk(demo)) {
            List<Path> crops = files.filter(Files::isRegularFile).filter(f -> MarketName.parse(f.getFileName().toString())
                    .map(n -> n.identity().equals(erased.label())).orElse(false)).toList();
            for (Path f : crops) {
                Files.delete(f);
            }
            if (!crops.isEmpty()) {
                Files.deleteIfExists(demo.resolve(CONTACT_SHEET));
                log.info("erasure: {} demo crop files deleted", crops.size());
            }
        } catch (IOException e) {
            // the erasure itself is committed; say what is left, without the label
            log.warn("erasure: demo crop files could not all be deleted under {}: {}", demo, e.getMessage());
        }
    }
}
