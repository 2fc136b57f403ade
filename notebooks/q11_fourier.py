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
from handbook_nb import check, check_close, save_figure

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
check_close(
    ri(F.conj().T @ X / N),
    ri(x),
    "the inverse DFT (1/N) sum X_k e^{+2 pi i k m / N} recovers x",
    rtol=1e-10,
    atol=1e-10,
)
check_close(np.sum(np.abs(x) ** 2), np.sum(np.abs(X) ** 2) / N, "Parseval: sum |x_m|^2 = (1/N) sum |X_k|^2", rtol=1e-10)

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
# Split the sum into even and odd indices: with $E_k$ and $O_k$ the DFTs (length $N/2$) of $x_0, x_2, \dots$ and $x_1, x_3, \dots$, and the twiddle factor $W^k = e^{-2\pi i k / N}$,
#
# $$
# X_k = E_k + W^k O_k, \qquad X_{k + N/2} = E_k - W^k O_k, \qquad k = 0, \dots, N/2 - 1.
# $$
#
# Each level of the recursion does $N/2$ multiplications by twiddle factors and there are $\log_2 N$ levels.


# %%
def fft_radix2(x):
    """Recursive radix-2 FFT; returns the DFT and the number of twiddle multiplications."""
    n = len(x)
    if n == 1:
        return x.astype(complex), 0
    even, cost_even = fft_radix2(x[0::2])
    odd, cost_odd = fft_radix2(x[1::2])
    twiddled = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate([even + twiddled, even - twiddled]), cost_even + cost_odd + n // 2


N2 = 1024
x2 = rng.normal(size=N2)
X2, n_mult = fft_radix2(x2)
check_close(
    ri(X2), ri(np.fft.fft(x2)), "the hand-written radix-2 FFT equals np.fft.fft for N = 1024", rtol=1e-10, atol=1e-9
)
check(n_mult == (N2 // 2) * int(np.log2(N2)) == 5120, "it uses (N/2) log2 N = 5,120 multiplications for N = 1024")
check_close(N2**2 / n_mult, 204.8, "versus N^2 = 1,048,576 for the direct sum: 204.8 times fewer", rtol=1e-12)

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
check_close(freqs[1] - freqs[0], fs / N3, "frequency resolution is fs / N = 1 Hz", rtol=1e-12)
check_close(top2, sorted(tones), "the two largest peaks sit exactly at 50 Hz and 120 Hz", rtol=0, atol=1e-12)
check_close(
    amp[np.isin(freqs, top2)],
    [tones[f] for f in sorted(tones)],
    "peak heights 2|X_k|/N recover the amplitudes 1 and 0.5 (within 0.1)",
    rtol=0,
    atol=0.1,
)
check(np.std(signal - clean) > np.max(clean) / 2, "in the time domain the noise is comparable to the tones")
check_close(amp[np.isin(freqs, top2)], [1.03, 0.47], "the quoted peak heights are 1.03 and 0.47", rtol=0, atol=0.005)

# %%
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6.4, 6.0))
show = t < 0.2
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
far = np.abs(freqs - 50.5) > 20
check(
    amp_hann[far].max() < amp_off[far].max() / 100, "20 Hz away from the tone the Hann window leaks over 100 times less"
)


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

# %% [markdown]
# ## Conclusion
#
# The DFT is a change of basis onto complex exponentials; the FFT computes it in $O(N \log N)$ by splitting even and odd samples recursively; convolution becomes multiplication in the frequency domain.
# Reading a spectrum correctly requires knowing the bin spacing $f_s/N$, the Nyquist limit $f_s/2$, and the leakage that windowing controls.
