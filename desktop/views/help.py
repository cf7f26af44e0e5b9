"""帮助 menu: the short user manual and the about box."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop import __version__, paths
from desktop.views.dialogs import inform

MANUAL_HTML = """
<h2>两新党建工作台 使用说明</h2>
<h3>日常录入</h3>
<ul>
<li>左侧选择“组织”“指导员”“联络员”，右侧是对应的名单。</li>
<li>在搜索框中输入名称、代码、联系人或电话，名单随输入即时筛选（Ctrl+F 定位到搜索框）。</li>
<li>用筛选下拉框按乡镇、类型、行业、新业态、党组织组建方式、群团组织筛选；点击列标题排序。</li>
<li>双击一行或按回车键打开记录；“新建”或 Ctrl+N 新建记录。</li>
</ul>
<h3>填写表单</h3>
<ul>
<li>按 Tab 键依次填写，顺序与纸质登记表一致。日期可输入 2026-03-10、2026/3/10 或 2026年3月10日，也可点日历按钮选择。</li>
<li>填写有误的项目会标红，并在下方说明原因（例如统一社会信用代码校验位错误）。</li>
<li>Ctrl+S 保存；Esc 取消，有未保存的修改时会先询问。</li>
<li>删除前会询问确认；删除的记录保留在数据库中（标记为已删除），不会影响以后的数据合并。</li>
<li>联络员的派驻、考核和指导员的挂钩在人员表单中维护，选择组织时可输入关键字查找。</li>
</ul>
<h3>数据安全</h3>
<ul>
<li>每天首次启动时自动备份；“文件 → 立即备份”可随时备份。</li>
<li>“文件 → 从备份恢复”会先把当前数据另存一份备份，再恢复所选备份。</li>
<li>“文件 → 检查数据库”检查数据完整性和每条记录是否符合规则。</li>
<li>“审计日志”（系统管理员和审核角色可见）按操作人、日期、表和记录ID查看每一次修改与登录事件，顶部显示校验链是否完整；“导出 xlsx”导出筛选结果。</li>
</ul>
"""


def show_manual(parent: QWidget | None) -> QDialog:
    """The manual in a window that does not block the main window."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("使用说明")
    dialog.resize(640, 560)
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setHtml(MANUAL_HTML)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.show()
    return dialog


def show_about(parent: QWidget | None) -> QWidget:
    """Version, purpose and where the data lives."""
    return inform(parent, "关于",
                  f"两新党建工作台 {__version__}\n\n"
                  "“两新”组织党建登记、联络员补贴发放、季度报表和组工信息编印。\n"
                  "全部数据保存在本机，不需要联网。\n\n"
                  f"数据文件夹：{paths.data_dir()}")
