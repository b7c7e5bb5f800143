"""The dev eID provider's only HTML: the Vietnamese page where a developer picks a demo citizen.

Every value that came from the request or the citizen data is HTML-escaped before it is written.
"""

from collections.abc import Iterable, Mapping
from html import escape
from urllib.parse import urlencode

from devstack.eid_model import DemoCitizen, mask_personal_id

_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập bằng định danh điện tử (thử nghiệm)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }}
.warning {{ background: #fff3cd; border: 1px solid #e0c36c; padding: .75rem; border-radius: .5rem; }}
ul {{ list-style: none; padding: 0; }}
a.citizen {{ display: block; border: 1px solid #c8102e; border-radius: .5rem; padding: .75rem;
  margin: .5rem 0; color: inherit; text-decoration: none; }}
a.citizen:hover {{ background: #fdecee; }}
.meta {{ color: #555; font-size: .9rem; }}
</style>
</head>
<body>
<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p class="warning">Máy chủ định danh giả lập, chỉ dùng khi phát triển. Dữ liệu công dân là dữ liệu mẫu.</p>
<p>Ứng dụng <strong>{client_id}</strong> yêu cầu đăng nhập. Chọn một công dân mẫu:</p>
<ul>
{rows}
</ul>
</body>
</html>
"""

_ROW = """<li><a class="citizen" href="{href}">
<strong>{name}</strong><br>
<span class="meta">Số định danh cá nhân: {masked_id} · Tài khoản mức độ {level}</span>
</a></li>"""


def picker_page(params: Mapping[str, str], citizens: Iterable[DemoCitizen]) -> str:
    """One link per citizen back to /authorize with the same request plus that citizen's login_hint."""
    rows = "\n".join(_row(params, citizen) for citizen in citizens)
    return _PAGE.format(client_id=escape(params.get("client_id", "")), rows=rows)


def _row(params: Mapping[str, str], citizen: DemoCitizen) -> str:
    query = urlencode({**params, "login_hint": citizen.personal_id})
    return _ROW.format(
        href=escape(f"/authorize?{query}"),
        name=escape(citizen.full_name),
        masked_id=escape(mask_personal_id(citizen.personal_id)),
        level=escape(citizen.level),
    )
