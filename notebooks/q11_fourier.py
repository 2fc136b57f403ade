# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The discrete Fourier transform, the FFT and the convolution theorem
#
# A signal made of two tones plus noise has a spectrum with two sharp peaks, at the tones' frequencies and with heights equal to their amplitudes; a tone that falls between frequency bins leaks, and a tone above the Nyquist frequency aliases.
# The checks prove the formulas of the question page: `np.fft.fft` equals the $O(N^2)$ DFT sum, a hand-written radix-2 FFT equals it too with $(N/2)\log_2 N$ multiplications, the inverse DFT and Parseval's identity hold, and circular convolution equals pointwise multiplication of DFTs.

# %%
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

# %%
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)


def ri(z):
    """Real and imaginary parts side by side, so that complex results are compared in full."""
    z = np.asarray(z)
    return np.concatenate([z.real.ravel(), z.imag.ravel()])


# %% [markdown]
# ## The DFT as a matrix
#
# The DFT of $x_0, \dots, x_{N-1}$ is $X_k = \sum_{m=0}^{N-1} x_m e^{-2\pi i k m / N}$, a matrix-vector product with $\mathbf{F}_{km} = e^{-2\pi i k m / N}$, which costs $O(N^2)$ operations.
# The inverse is $x_m = \frac{1}{N}\sum_{k=0}^{N-1} X_k e^{2\pi i k m / N}$, because the columns of $\mathbf{F}$ are orthogonal: $\mathbf{F}^{*}\mathbf{F} = N\mathbf{I}$, where $\mathbf{F}^{*}$ is the conjugate transpose.

# %%
N = 256
x = rng.normal(size=N) + 1j * rng.normal(size=N)
k, m = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
F = np.exp(-2j * np.pi * k * m / N)
X = F @ x
check_close(
    ri(np.fft.fft(x)),
    ri(X),
    "np.fft.fft equals the DFT sum computed with an explicit N x N matrix",
    rtol=1e-10,
    atol=1e-9,
)
check_close(ri(F.conj().T @ F), ri(N * np.eye(N)), "orthogonality: F* F = N I", rtol=0, atol=1e-9)
# The inverse formula, written as the page's sum (a loop, not the matrix above), applied to the library's DFT:
# a page with the wrong normalisation (1/sqrt(N), or none) would fail both comparisons.
X_lib = np.fft.fft(x)
x_back = np.array([np.sum(X_lib * np.exp(2j * np.pi * np.arange(N) * mm / N)) / N for mm in range(N)])
check_close(ri(x_back), ri(x), "the inverse DFT (1/N) sum X_k e^{+2 pi i k m / N} recovers x", rtol=1e-10, atol=1e-10)
check_close(
    ri(np.fft.ifft(X_lib)),
    ri(x_back),
    "np.fft.ifft puts the 1/N in the inverse, as the page's formula does",
    rtol=1e-10,
    atol=1e-10,
)
x_real = rng.normal(size=N)
check_close(
    np.sum(x_real**2),
    np.sum(np.abs(np.fft.fft(x_real)) ** 2) / N,
    "Parseval (library FFT, real signal): sum |x_m|^2 = (1/N) sum |X_k|^2",
    rtol=1e-10,
)

# %% [markdown]
# Shift property: delaying by $t_0$ samples (circularly, as the DFT sees it) multiplies $X_k$ by $e^{-2\pi i k t_0/N}$, which changes the phase only.

# %%
t0 = 17
X_shift = np.fft.fft(np.roll(x_real, t0))
X_real = np.fft.fft(x_real)
check_close(np.abs(X_shift), np.abs(X_real), "a delay leaves the magnitude spectrum unchanged", rtol=1e-10, atol=1e-9)
check_close(
    ri(X_shift),
    ri(X_real * np.exp(-2j * np.pi * np.arange(N) * t0 / N)),
    "a delay of t0 samples multiplies X_k by exp(-2 pi i k t0 / N)",
    rtol=1e-10,
    atol=1e-9,
)

# %% [markdown]
# For a real signal the spectrum is conjugate-symmetric, $X_{N-k} = \overline{X_k}$, so bins above $N/2$ mirror the bins below it and carry no new information.

# %%
xr = rng.normal(size=N)
Xr = np.fft.fft(xr)
check_close(
    ri(Xr[1:][::-1]), ri(Xr[1:].conj()), "real input: X_{N-k} is the complex conjugate of X_k", rtol=1e-10, atol=1e-10
)

# %% [markdown]
# ## A radix-2 FFT written out
#
# Split the sum into even and odd indices: with $E_k$ and $D_k$ the DFTs (length $N/2$) of $x_0, x_2, \dots$ and $x_1, x_3, \dots$, and the twiddle factor $W^k = e^{-2\pi i k / N}$,
#
# $$
# X_k = E_k + W^k D_k, \qquad X_{k + N/2} = E_k - W^k D_k, \qquad k = 0, \dots, N/2 - 1.
# $$
#
# Each level of the recursion does $N/2$ multiplications by twiddle factors and there are $\log_2 N$ levels.


# %%
def fft_radix2(x):
    """Recursive radix-2 FFT; returns the DFT and the numbers of twiddle multiplications and of additions.

    The counters are incremented where the arithmetic happens (one per element of each array operation).
    """
    n = len(x)
    if n == 1:
        return x.astype(complex), 0, 0
    even, mult_even, add_even = fft_radix2(x[0::2])
    odd, mult_odd, add_odd = fft_radix2(x[1::2])
    twiddled = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    plus, minus = even + twiddled, even - twiddled
    return (
        np.concatenate([plus, minus]),
        mult_even + mult_odd + twiddled.size,
        add_even + add_odd + plus.size + minus.size,
    )


N2 = 1024
x2 = rng.normal(size=N2)
X2, n_mult, n_add = fft_radix2(x2)
check_close(
    ri(X2), ri(np.fft.fft(x2)), "the hand-written radix-2 FFT equals np.fft.fft for N = 1024", rtol=1e-10, atol=1e-9
)
bind("n_fft", N2)
for n_try in [2, 8, 64, N2]:
    _, mult_try, add_try = fft_radix2(rng.normal(size=n_try))
    check(mult_try == (n_try // 2) * np.log2(n_try), f"N = {n_try}: counted twiddle multiplications = (N/2) log2 N")
    check(add_try == n_try * np.log2(n_try), f"N = {n_try}: counted additions = N log2 N")
bind("n_mult", n_mult)
bind("n_direct", N2**2)
bind("speedup", N2**2 / n_mult)
# The ratio N^2 / ((N/2) log2 N) = 2N / log2 N, with the counted multiplications (checked above) in the denominator.
check_close(N2**2 / n_mult, 2 * N2 / np.log2(N2), "the direct sum needs 2N / log2 N times more multiplications")

# %% [markdown]
# ## Convolution theorem
#
# The circular convolution $(a \circledast b)_m = \sum_{j=0}^{N-1} a_j\, b_{(m - j) \bmod N}$ has DFT $A_k B_k$.
# Zero-padding both sequences to length at least $N_a + N_b - 1$ turns circular convolution into ordinary (linear) convolution, which is how FFT-based convolution is used in practice.

# %%
Nc = 64
a, b = rng.normal(size=Nc), rng.normal(size=Nc)
circ_direct = np.array([sum(a[j] * b[(mm - j) % Nc] for j in range(Nc)) for mm in range(Nc)])
circ_fft = np.fft.ifft(np.fft.fft(a) * np.fft.fft(b))
check_close(
    circ_fft.real,
    circ_direct,
    "circular convolution computed directly equals ifft(fft(a) * fft(b))",
    rtol=1e-10,
    atol=1e-10,
)
check(np.max(np.abs(circ_fft.imag)) < 1e-12, "the result is real for real inputs (imaginary parts below 1e-12)")
h = rng.normal(size=9)
L = Nc + len(h) - 1
lin_fft = np.fft.ifft(np.fft.fft(a, L) * np.fft.fft(h, L)).real
check_close(
    lin_fft,
    np.convolve(a, h),
    "zero-padded FFT convolution equals np.convolve (linear convolution)",
    rtol=1e-10,
    atol=1e-10,
)

# %% [markdown]
# ## Two tones in noise
#
# One second sampled at $f_s = 1000$ Hz ($N = 1000$ samples, so the bins are $f_s / N = 1$ Hz apart): a 50 Hz tone of amplitude 1, a 120 Hz tone of amplitude 0.5, and Gaussian noise with standard deviation 0.8.
# Bin $k$ corresponds to the frequency $k f_s / N$; for a real signal the single-sided amplitude spectrum $2\lvert X_k \rvert / N$ ($0 < k < N/2$) reads off each tone's amplitude.

# %%
fs, N3 = 1000.0, 1000
t = np.arange(N3) / fs
tones = {50.0: 1.0, 120.0: 0.5}
clean = sum(A * np.sin(2 * np.pi * f * t) for f, A in tones.items())
signal = clean + 0.8 * rng.normal(size=N3)
freqs = np.fft.rfftfreq(N3, d=1 / fs)
amp = 2 * np.abs(np.fft.rfft(signal)) / N3
amp[0] /= 2  # the zero-frequency bin is not doubled

top2 = np.sort(freqs[np.argsort(amp)[-2:]])
print("two largest peaks at", top2, "Hz with amplitudes", np.round(amp[np.isin(freqs, top2)], 3))
# Bin spacing f_s / N, found from where a tone lands (argmax of the FFT), not from rfftfreq's own formula:
# a page saying the resolution is f_s / (2N) or 1 / N would put these tones in other bins.
for fs_try, n_try, k_try in [(1000.0, 500, 37), (800.0, 1000, 123), (48000.0, 960, 11)]:
    tt = np.arange(n_try) / fs_try
    tone = np.cos(2 * np.pi * (k_try * fs_try / n_try) * tt)
    check(
        np.argmax(np.abs(np.fft.rfft(tone))) == k_try,
        f"fs = {fs_try:g} Hz, N = {n_try}: a tone at k fs/N = {k_try * fs_try / n_try:g} Hz lands in bin k = {k_try}",
    )
# A real tone of amplitude A on bin k contributes A N / 2 to bins k and N - k of the full FFT.
A_try, k_try = 0.7, 50
full = np.abs(np.fft.fft(A_try * np.cos(2 * np.pi * k_try * t)))
check_close(
    full[[k_try, N3 - k_try]],
    [A_try * N3 / 2] * 2,
    "a tone of amplitude A gives A N / 2 in bins k and N - k",
    rtol=1e-10,
)
check_close(top2, sorted(tones), "the two largest peaks sit exactly at 50 Hz and 120 Hz", rtol=0, atol=1e-12)
check_close(
    amp[np.isin(freqs, top2)],
    [tones[f] for f in sorted(tones)],
    "peak heights 2|X_k|/N recover the amplitudes 1 and 0.5 (within 0.1)",
    rtol=0,
    atol=0.1,
)
# Time domain: noise power comparable to the tones' power (SNR within a factor of 2 of 1, i.e. |SNR| < 3 dB).
snr_time_db = 10 * np.log10(np.mean(clean**2) / np.mean((signal - clean) ** 2))
# Frequency domain: the weaker tone stands far above the noise floor (median of the other bins).
floor = np.median(np.delete(amp, np.flatnonzero(np.isin(freqs, top2))))
snr_peak_db = 20 * np.log10(amp[freqs == 120.0][0] / floor)
print(f"time-domain SNR {snr_time_db:.1f} dB; 120 Hz peak over the noise floor {snr_peak_db:.1f} dB")
check(abs(snr_time_db) < 3, "in the time domain the noise is comparable to the tones (SNR within 3 dB of 0 dB)")
check(snr_peak_db > 10, "in the spectrum even the weaker tone stands more than 10 dB above the noise floor")
bind("fs", fs)
bind("n_samples", N3)
bind("bin_hz", fs / N3)  # the spacing itself is checked above, from where tones land
bind("f1", 50.0)
bind("a1", tones[50.0])
bind("f2", 120.0)
bind("a2", tones[120.0])
bind("noise_sd", 0.8)
bind("peak1", top2[0])
bind("peak2", top2[1])
bind("height1", amp[freqs == 50.0][0])
bind("height2", amp[freqs == 120.0][0])

# %%
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6.4, 6.0))
show = t < 0.2
bind("show_ms", 1000 * 0.2)
_ = ax1.plot(1000 * t[show], signal[show], lw=0.8, label="noisy signal")
_ = ax1.plot(1000 * t[show], clean[show], lw=1.5, label="two tones without noise")
_ = ax1.set_xlabel("time (ms)")
_ = ax1.set_ylabel("amplitude")
_ = ax1.set_title("Time domain: 50 Hz + 120 Hz + noise (first 200 ms)")
_ = ax1.legend(loc="upper right", fontsize=9, ncol=2)
_ = ax1.set_ylim(-4, 4.5)
_ = ax2.plot(freqs, amp, lw=0.8, label=r"$2|X_k|/N$")
for f in tones:
    _ = ax2.annotate(f"{f:g} Hz", (f, amp[freqs == f][0]), textcoords="offset points", xytext=(6, 0), fontsize=9)
_ = ax2.set_xlabel("frequency (Hz)")
_ = ax2.set_ylabel("amplitude")
_ = ax2.set_xlim(0, fs / 2)
_ = ax2.set_title("Frequency domain: FFT amplitude spectrum")
_ = ax2.legend(loc="upper right")
fig.tight_layout()
save_figure(fig, "spectrum")

# %% [markdown]
# ## Leakage and windowing
#
# A tone whose frequency falls halfway between two bins (here 50.5 Hz) does not complete a whole number of cycles in the window.
# With no window (a rectangular window) its peak drops to $2/\pi \approx 0.64$ of its amplitude and its energy leaks into many bins whose level decays slowly.
# A Hann window $w_m = \tfrac{1}{2}\left(1 - \cos\frac{2\pi m}{N}\right)$ trades a wider main peak for much lower leakage far from it.

# %%
x_on = np.sin(2 * np.pi * 50.0 * t)
x_off = np.sin(2 * np.pi * 50.5 * t)
amp_on = 2 * np.abs(np.fft.rfft(x_on)) / N3
amp_off = 2 * np.abs(np.fft.rfft(x_off)) / N3
hann = 0.5 * (1 - np.cos(2 * np.pi * np.arange(N3) / N3))
amp_hann = 2 * np.abs(np.fft.rfft(x_off * hann)) / hann.sum()  # divide by the window's sum to keep the tone's scale

check_close(amp_on[freqs == 50.0], 1.0, "an on-bin tone gives a single peak of height 1", rtol=1e-10)
check(np.max(np.delete(amp_on, np.flatnonzero(freqs == 50.0))) < 1e-10, "an on-bin tone leaves every other bin empty")
check_close(
    amp_off.max(), 2 / np.pi, "a half-bin-offset tone peaks at 2/pi of its amplitude (rectangular window)", rtol=1e-2
)
far_hz = 20
far = np.abs(freqs - 50.5) > far_hz
leak_ratio = amp_off[far].max() / amp_hann[far].max()
check(leak_ratio > 100, "20 Hz away from the tone the Hann window leaks over 100 times less")
bind("f_off", 50.5)
bind("peak_off", amp_off.max())
bind("far_hz", far_hz)
bind("leak_ratio", leak_ratio)


# %%
def db(v):
    """Amplitude in decibels, floored at -240 dB so that empty bins stay finite."""
    return 20 * np.log10(np.maximum(v, 1e-12))


fig, ax = plt.subplots()
_ = ax.plot(freqs, db(amp_off), label="50.5 Hz, no window")
_ = ax.plot(freqs, db(amp_hann), label="50.5 Hz, Hann window")
_ = ax.plot([50.0], db(amp_on[freqs == 50.0]), "k^", label="50 Hz (on a bin): one line")
_ = ax.set_xlim(0, 120)
_ = ax.set_ylim(-120, 10)
_ = ax.set_xlabel("frequency (Hz)")
_ = ax.set_ylabel("amplitude (dB, relative to 1)")
_ = ax.set_title("Spectral leakage of an off-bin tone")
_ = ax.legend(loc="upper right", fontsize=9)
save_figure(fig, "leakage")

# %% [markdown]
# ## Aliasing
#
# Sampling at $f_s$ cannot distinguish a frequency $f$ from $f_s - f$: the samples of a 900 Hz cosine taken at 1000 Hz are exactly those of a 100 Hz cosine.
# Only frequencies below the Nyquist frequency $f_s/2 = 500$ Hz are represented faithfully.

# %%
x900 = np.cos(2 * np.pi * 900.0 * t)
x100 = np.cos(2 * np.pi * 100.0 * t)
check_close(x900, x100, "samples of a 900 Hz cosine at 1000 Hz equal those of a 100 Hz cosine", rtol=0, atol=1e-9)
check(freqs[np.argmax(np.abs(np.fft.rfft(x900)))] == 100.0, "the FFT of the 900 Hz tone peaks at 100 Hz")
bind("alias_fs", fs)
bind("alias_high", 900.0)
bind("alias_low", freqs[np.argmax(np.abs(np.fft.rfft(x900)))])

# %% [markdown]
# ## Conclusion
#
# The DFT is a change of basis onto complex exponentials; the FFT computes it in $O(N \log N)$ by splitting even and odd samples recursively; convolution becomes multiplication in the frequency domain.
# Reading a spectrum correctly requires knowing the bin spacing $f_s/N$, the Nyquist limit $f_s/2$, and the leakage that windowing controls.
