package dmdd.app.cli;

import dmdd.model.teacher.BackboneKind;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --backbone}: the {@link BackboneKind} command-line names, with shell completion. */
final class BackboneConverter implements ITypeConverter<BackboneKind>, Iterable<String> {
    @Override
    public BackboneKind convert(String value) {
        try {
            return BackboneKind.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(BackboneKind.values()).map(BackboneKind::cliName).iterator();
    }
}
