package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * The engine this process runs must compute the networks' convolutions right: on an AMD EPYC of family 26 with
 * libtorch 2.7.1, whose oneDNN AVX2/AVX-512 kernels get channel counts that are not multiples of 16 wrong, they run
 * channel-padded ({@link ChannelPaddedConvolution}), and {@link DjlRuntime#engine()} limits oneDNN to AVX where even
 * that is wrong. On such a CPU, with the padding taken out of {@link ChannelPaddedConvolution#convolve} and
 * {@code -Ddmdd.onednnIsa=default} (oneDNN's own kernels), the first test fails (errors 0.2 to NaN).
 */
class ConvolutionKernelsTest {

    @Test
    void theEnginesFloat32ConvolutionsAgreeWithFloat64() {
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            ConvolutionKernels.Verdict v = ConvolutionKernels.check(m);
            assertThat(v.correct()).as(v.describe() + "; " + ConvolutionKernels.decision()).isTrue();
            assertThat(v.worstRelativeError()).isLessThan(ConvolutionKernels.TOLERANCE);
        }
        assertThat(ConvolutionKernels.decision()).startsWith("oneDNN");
    }

    @Test
    void readsTheFirstProcessorsIdentityAndWhetherItHasAvx512() {
        String zen5 = """
                processor	: 0
                vendor_id	: AuthenticAMD
                cpu family	: 26
                model		: 2
                model name	: AMD EPYC
                stepping	: 1
                flags		: fpu sse2 avx2 avx512f avx512bw avx512_bf16

                processor	: 1
                vendor_id	: SomethingElse
                flags		: fpu
                """;
        ConvolutionKernels.CpuInfo cpu = ConvolutionKernels.CpuInfo.parse(zen5);
        assertThat(cpu.vendor()).isEqualTo("AuthenticAMD");
        assertThat(cpu.family()).isEqualTo("26");
        assertThat(cpu.model()).isEqualTo("2");
        assertThat(cpu.hasAvx2()).isTrue();
        assertThat(cpu.hasAvx512()).isTrue(); // so a wrong verdict is checked again at AVX2 before AVX
        ConvolutionKernels.CpuInfo old = ConvolutionKernels.CpuInfo.parse(
                "vendor_id : GenuineIntel\ncpu family : 6\nflags : fpu avx avx2x_not_it\n");
        assertThat(old.hasAvx2()).isFalse();
        assertThat(old.hasAvx512()).isFalse();
        assertThat(cpu.key()).hasSize(16).isNotEqualTo(old.key());
    }
}
