"""Run by the package test in an isolated interpreter (`python -I -S`): nothing of the repository and no
site-packages on sys.path, only the unzipped app code and dependency layer, as on Lambda.

Reads {"task", "layer", "invocations": [{"handler", "event"}]} on stdin; imports each handler the way the
Lambda runtime does (module.attribute from sam.json), calls it with the event, and prints one JSON line:
each invocation's result or error, and every loaded module whose file lies outside the package and stdlib.
"""

import importlib
import json
import sys
import sysconfig
import traceback


class LambdaContext:
    function_name = "package-test"
    aws_request_id = "package-test-request"
    memory_limit_in_mb = 1024

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def invoke(handler: str, event: dict) -> dict:
    module_name, _, attribute = handler.rpartition(".")
    try:
        result = getattr(importlib.import_module(module_name), attribute)(event, LambdaContext())
        return {"handler": handler, "ok": True, "result": result}
    except Exception:  # the test prints what failed, as CloudWatch would
        return {"handler": handler, "ok": False, "error": traceback.format_exc()}


def outside_modules(allowed: list[str]) -> list[str]:
    found = []
    for name, module in list(sys.modules.items()):
        if name in ("__main__", "__mp_main__"):  # this probe itself
            continue
        path = getattr(module, "__file__", None)
        if path and not any(path.startswith(root) for root in allowed):
            found.append(f"{name}: {path}")
    return sorted(found)


def main() -> None:
    request = json.load(sys.stdin)
    layer_site = f"{request['layer']}/python/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
    sys.path[:0] = [request["task"], layer_site, f"{request['layer']}/python"]
    results = [invoke(item["handler"], item["event"]) for item in request["invocations"]]
    stdlib = [sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]]
    print(
        json.dumps(
            {
                "results": results,
                "outside": outside_modules([request["task"], request["layer"], *stdlib]),
                "modules": sorted({name.split(".")[0] for name in sys.modules}),
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
