/** A short two-tone chime made with WebAudio (no asset to load); silent where audio is blocked. */
let context: AudioContext | null = null;

export function beep(kind: 'offer' | 'alert' = 'offer'): void {
  try {
    context ??= new AudioContext();
    const ctx = context;
    if (ctx.state === 'suspended') void ctx.resume();
    const tones = kind === 'offer' ? [880, 1175] : [660, 520];
    tones.forEach((frequency, i) => {
      const start = ctx.currentTime + i * 0.16;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.15);
    });
  } catch {
    // No audio device or autoplay policy: the visual indicator still shows.
  }
}
