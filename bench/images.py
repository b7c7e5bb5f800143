"""Image pipeline: CPU and peak memory of PillowImageProcessor beside a naive Pillow pipeline (open,
exif_transpose, thumbnail, save), on generated inputs: a 12 MP camera-like JPEG (noise, EXIF orientation 6,
GPS), a 4000x3000 PNG screenshot and a 12 MP HEIC; then the peak RSS of a worker processing 50 MP images.

CPU: this process's CPU time, median of runs, the two pipelines interleaved. Memory: each measurement in
a fresh subprocess. RSS growth is ru_maxrss after one run minus the RSS before it (pixel buffers live in
Pillow's C allocator, which tracemalloc does not see); tracemalloc's peak, the Python-heap share, is
printed beside it. The 50 MP figure is the worker's whole peak RSS, what a 1024 MB Lambda must hold.
Usage: python -m bench.images [runs]
"""

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bench.common import median, report
from chalicelib.adapters.pillow_images import PillowImageProcessor

CPU_BUDGET, MEMORY_BUDGET, WORKER_MB = 0.5, 0.4, 1024
GPS = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0), 6: 12.0}


def camera_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F], exif[0x0110] = "Bench", "Phone 12 MP"
    exif.get_ifd(0x8825).update(GPS)
    return exif.tobytes()


def camera_like(width: int, height: int) -> Image.Image:
    """A paper on a desk as a sensor sees it: gradients, edges and per-pixel noise (what costs a JPEG codec)."""
    scene = Image.merge(
        "RGB",
        [Image.linear_gradient("L").resize((width, height)).rotate(angle, expand=False) for angle in (0, 90, 180)],
    )
    ImageDraw.Draw(scene).rectangle((width // 6, height // 8, width * 5 // 6, height * 7 // 8), fill=(236, 232, 220))
    for y in range(height // 5, height * 4 // 5, max(1, height // 40)):
        ImageDraw.Draw(scene).line((width // 4, y, width * 3 // 4, y), fill=(40, 40, 48), width=max(1, height // 400))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 40) for _ in range(3)])
    return Image.blend(scene, noise, 0.3)  # 12 MP at quality 92: ~4.7 MB, as phones write them


def screenshot(width: int, height: int) -> Image.Image:
    """A phone screenshot of a form: a coloured header and lines of anti-aliased text on white."""
    image = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height // 12), fill=(200, 16, 46))
    font = ImageFont.load_default(size=max(12, height // 60))
    for row, y in enumerate(range(height // 8, height - height // 30, height // 40)):
        text = f"{row:02d}. Giay chung nhan dang ky ho kinh doanh so 01A8{row * 7919:06d} - Phuong Hang Bac, Ha Noi"
        draw.text((width // 20, y), text, font=font, fill=(30 + row % 5 * 20, 30, 40))
    return image


INPUTS = {  # name: (file, content type, scene, width, height, save options)
    "12 MP phone JPEG": ("phone.jpg", "image/jpeg", "camera", 4000, 3000, {"quality": 92}),
    "4000x3000 PNG screenshot": ("screen.png", "image/png", "screenshot", 4000, 3000, {}),
    "12 MP phone HEIC": ("phone.heic", "image/heic", "camera", 4000, 3000, {"quality": 50}),
    "50 MP JPEG": ("big.jpg", "image/jpeg", "camera", 8660, 5773, {"quality": 75}),
    "50 MP PNG": ("big.png", "image/png", "screenshot", 8660, 5773, {}),
}
COMPARED, WORKER_SIZED = (
    ("12 MP phone JPEG", "4000x3000 PNG screenshot", "12 MP phone HEIC"),
    ("50 MP JPEG", "50 MP PNG"),
)


def make_inputs(folder: Path) -> None:
    """Run in its own process: generating 50 MP images would leave this one large (see child()). The HEIC
    is written by pillow-heif's encoder, registered with Pillow by the adapter's import."""
    for file, content_type, scene, width, height, options in INPUTS.values():
        image = camera_like(width, height) if scene == "camera" else screenshot(width, height)
        extra = {"exif": camera_exif()} if scene == "camera" else {}
        image.save(
            folder / file,
            format={"image/jpeg": "JPEG", "image/png": "PNG"}.get(content_type, "HEIF"),
            **options,
            **extra,
        )


def input_path(folder: Path, name: str) -> tuple[Path, str]:
    return folder / INPUTS[name][0], INPUTS[name][1]


def naive(data: bytes, content_type: str) -> None:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image.thumbnail((1600, 1600))
    image.convert("RGB").save(io.BytesIO(), "JPEG", quality=85)
    image.thumbnail((320, 320))
    image.convert("RGB").save(io.BytesIO(), "JPEG", quality=85)


def ours(data: bytes, content_type: str) -> None:
    PillowImageProcessor().process(data, content_type)


PIPELINES = {"ours": ours, "naive": naive}


def _status_kb(field: str) -> int:
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
    return int(line.split()[1])


def child(pipeline: str, path: str, content_type: str, mode: str) -> None:
    """One run in this fresh process; prints the memory it took. ru_maxrss starts at the RSS the parent had
    when it forked (Linux keeps it across exec): the parent stays small so that floor stays below ours.
    The growth uses VmHWM, this process's own high-water mark, from the RSS just before the run."""
    data = Path(path).read_bytes()
    before_kb = _status_kb("VmRSS:")
    if mode == "trace":
        tracemalloc.start()
    PIPELINES[pipeline](data, content_type)
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if mode == "trace" else 0.0
    print(
        json.dumps(
            {
                "rss_growth_mb": (_status_kb("VmHWM:") - before_kb) / 1024,
                "traced_mb": traced,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def in_subprocess(pipeline: str, path: Path, content_type: str, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.images", "--child", pipeline, str(path), content_type, mode],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def cpu_seconds(pipeline: str, data: bytes, content_type: str) -> float:
    started = time.process_time()
    PIPELINES[pipeline](data, content_type)
    return time.process_time() - started


def memory(name: str, folder: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median RSS growth and tracemalloc peak of each pipeline, each run in a fresh process."""
    path, content_type = input_path(folder, name)
    return {
        p: {
            "rss": median(in_subprocess(p, path, content_type, "rss")["rss_growth_mb"] for _ in range(runs)),
            "traced": median(in_subprocess(p, path, content_type, "trace")["traced_mb"] for _ in range(runs)),
        }
        for p in PIPELINES
    }


def cpu(name: str, folder: Path, runs: int) -> dict[str, float]:
    path, content_type = input_path(folder, name)
    data = path.read_bytes()
    for pipeline in PIPELINES:
        cpu_seconds(pipeline, data, content_type)  # warm: plugins, codecs, first allocations
    runs_ms = {p: [] for p in PIPELINES}
    for _ in range(runs):
        for pipeline in PIPELINES:
            runs_ms[pipeline].append(cpu_seconds(pipeline, data, content_type) * 1000)
    return {p: median(values) for p, values in runs_ms.items()}


def report_comparison(name: str, size_mb: float, cpu_ms: dict, mem: dict) -> None:
    cpu_budget, memory_budget = (CPU_BUDGET, MEMORY_BUDGET) if name == "12 MP phone JPEG" else (None, None)
    report(f"images, {name} ({size_mb:.1f} MB): CPU ours", cpu_ms["ours"], "ms")
    report(f"images, {name}: CPU naive", cpu_ms["naive"], "ms")
    report(f"images, {name}: CPU ours/naive", cpu_ms["ours"] / cpu_ms["naive"], "ratio", cpu_budget)
    report(f"images, {name}: peak RSS growth ours", mem["ours"]["rss"], "MB")
    report(f"images, {name}: peak RSS growth naive", mem["naive"]["rss"], "MB")
    report(
        f"images, {name}: peak RSS growth ours/naive", mem["ours"]["rss"] / mem["naive"]["rss"], "ratio", memory_budget
    )
    report(
        f"images, {name}: tracemalloc peak ours ({mem['naive']['traced']:.2f} MB naive)", mem["ours"]["traced"], "MB"
    )


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        subprocess.run([sys.executable, "-m", "bench.images", "--inputs", name], check=True)
        # Memory first, while this process is small (see child()); then CPU, in this process.
        mem = {name: memory(name, folder, runs) for name in COMPARED}
        peaks = {
            name: median(
                in_subprocess("ours", *input_path(folder, name), "rss")["peak_rss_mb"] for _ in range(max(1, runs // 2))
            )
            for name in WORKER_SIZED
        }
        for name in COMPARED:
            report_comparison(
                name, input_path(folder, name)[0].stat().st_size / 2**20, cpu(name, folder, runs), mem[name]
            )
        for name, peak in peaks.items():
            size_mb = input_path(folder, name)[0].stat().st_size / 2**20
            report(f"images, {name} ({size_mb:.1f} MB): worker process peak RSS (ru_maxrss)", peak, "MB", WORKER_MB)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(*sys.argv[2:6])
    elif sys.argv[1:2] == ["--inputs"]:
        make_inputs(Path(sys.argv[2]))
    else:
        main(*(int(a) for a in sys.argv[1:2]))
