<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>flywheel</name>
    <message>
        <source>Flywheel operator console. Without --connect it runs in local demo mode: an embedded backend with simulated storefront traffic.</source>
        <translation>Flywheel 运营控制台。未指定 --connect 时以本地演示模式运行：使用内置后端，并模拟店铺流量。</translation>
    </message>
    <message>
        <source>Local demo mode (the default).</source>
        <translation>本地演示模式（默认）。</translation>
    </message>
    <message>
        <source>Connect to the flywheeld at HOST:PORT.</source>
        <translation>连接到位于 HOST:PORT 的 flywheeld。</translation>
    </message>
    <message>
        <source>Demo traffic in orders per second (default 2, up to 20000).</source>
        <translation>演示流量，单位为每秒订单数（默认 2，最多 20000）。</translation>
    </message>
    <message>
        <source>Delete the demo database and start over.</source>
        <translation>删除演示数据库并重新开始。</translation>
    </message>
    <message>
        <source>Keep the demo database in DIR instead of the user&apos;s data directory.</source>
        <translation>将演示数据库保存在 DIR 中，而不是用户数据目录中。</translation>
    </message>
    <message>
        <source>Render the main window to the PNG FILE and exit.</source>
        <translation>将主窗口渲染为 PNG 文件 FILE 后退出。</translation>
    </message>
    <message>
        <source>Page to show first: %1.</source>
        <translation>首先显示的页面：%1。</translation>
    </message>
    <message>
        <source>Dashboard window to show first: 5m, 1h, 24h or 7d.</source>
        <translation>数据看板首先显示的时间窗口：5m、1h、24h 或 7d。</translation>
    </message>
    <message>
        <source>With --screenshot: wait SECONDS before rendering (default 3).</source>
        <translation>与 --screenshot 一起使用：渲染前等待 SECONDS 秒（默认 3）。</translation>
    </message>
    <message>
        <source>Unexpected argument &apos;%1&apos;.</source>
        <translation>意外的参数“%1”。</translation>
    </message>
    <message>
        <source>--demo and --connect cannot be used together.</source>
        <translation>--demo 与 --connect 不能同时使用。</translation>
    </message>
    <message>
        <source>--connect needs HOST:PORT, got &apos;%1&apos;.</source>
        <translation>--connect 需要 HOST:PORT，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>--%1 only applies to demo mode, not --connect.</source>
        <translation>--%1 仅适用于演示模式，不能与 --connect 一起使用。</translation>
    </message>
    <message>
        <source>--simulate needs orders per second between 0 and 20000, got &apos;%1&apos;.</source>
        <translation>--simulate 需要 0 到 20000 之间的每秒订单数，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>--page &apos;%1&apos; is unknown; pages are: %2.</source>
        <translation>未知的 --page“%1”；可用的页面有：%2。</translation>
    </message>
    <message>
        <source>--window &apos;%1&apos; is unknown; use 5m, 1h, 24h or 7d.</source>
        <translation>未知的 --window“%1”；请使用 5m、1h、24h 或 7d。</translation>
    </message>
    <message>
        <source>--after only applies with --screenshot.</source>
        <translation>--after 只能与 --screenshot 一起使用。</translation>
    </message>
    <message>
        <source>--after needs seconds between 0 and 3600, got &apos;%1&apos;.</source>
        <translation>--after 需要 0 到 3600 之间的秒数，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>local demo backend (%1)</source>
        <translation>本地演示后端（%1）</translation>
    </message>
    <message>
        <source>the local demo backend could not be started: %1</source>
        <translation>本地演示后端无法启动：%1</translation>
    </message>
    <message>
        <source>--reset-demo failed: %1</source>
        <translation>--reset-demo 失败：%1</translation>
    </message>
    <message>
        <source>cannot write the screenshot to %1</source>
        <translation>无法将截图写入 %1</translation>
    </message>
</context>
<context>
    <name>flywheel::app::DemoHost</name>
    <message>
        <source>cannot delete %1: %2</source>
        <translation>无法删除 %1：%2</translation>
    </message>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>无法创建数据目录 %1</translation>
    </message>
    <message>
        <source>%1 is in use by another Flywheel (process %2); close it first</source>
        <translation>%1 正被另一个 Flywheel（进程 %2）使用，请先将其关闭</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::BackendConnection</name>
    <message>
        <source>%1 Retrying in %2 s…</source>
        <translation>%1 %2 秒后重试…</translation>
    </message>
    <message>
        <source>The backend is not reachable (%1).</source>
        <translation>无法连接到后端（%1）。</translation>
    </message>
    <message>
        <source>The backend did not answer in time.</source>
        <translation>后端未能及时响应。</translation>
    </message>
    <message>
        <source>The backend stopped responding.</source>
        <translation>后端已停止响应。</translation>
    </message>
    <message>
        <source>The backend does not offer this service; is it an older version? (%1)</source>
        <translation>后端不提供此服务，可能是旧版本？（%1）</translation>
    </message>
    <message>
        <source>The backend refused access (%1).</source>
        <translation>后端拒绝访问（%1）。</translation>
    </message>
    <message>
        <source>The backend reported an error: %1</source>
        <translation>后端报告了错误：%1</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::DashboardPage</name>
    <message>
        <source>5 minutes</source>
        <translation>5分钟</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>1小时</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24小时</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7天</translation>
    </message>
    <message>
        <source>per %1 s</source>
        <translation>每%1秒</translation>
    </message>
    <message>
        <source>per %1 min</source>
        <translation>每%1分钟</translation>
    </message>
    <message>
        <source>per %1 h</source>
        <translation>每%1小时</translation>
    </message>
    <message>
        <source>GMV</source>
        <translation>GMV</translation>
    </message>
    <message>
        <source>Gross merchandise value: the total of all orders in the window</source>
        <translation>商品交易总额：时间窗口内所有订单的金额合计</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Orders created in the window</source>
        <translation>时间窗口内创建的订单数</translation>
    </message>
    <message>
        <source>ARPU</source>
        <translation>ARPU</translation>
    </message>
    <message>
        <source>Average revenue per paying user: GMV / distinct users who ordered</source>
        <translation>每付费用户平均收入：GMV / 下单的去重用户数</translation>
    </message>
    <message>
        <source>Repeat-purchase rate</source>
        <translation>复购率</translation>
    </message>
    <message>
        <source>Users with two or more orders in the window / users with at least one</source>
        <translation>时间窗口内下单两次及以上的用户数 / 至少下单一次的用户数</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>数据看板</translation>
    </message>
    <message>
        <source>Window:</source>
        <translation>时间窗口：</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1小时</translation>
    </message>
    <message>
        <source>Show the last %1</source>
        <translation>显示最近%1</translation>
    </message>
    <message>
        <source>waiting for data</source>
        <translation>等待数据</translation>
    </message>
    <message>
        <source>Waiting for data from the backend…</source>
        <translation>正在等待后端数据…</translation>
    </message>
    <message>
        <source>previous %1</source>
        <translation>上一个%1</translation>
    </message>
    <message>
        <source>Last %1 · updated %2</source>
        <translation>最近%1 · 更新于 %2</translation>
    </message>
    <message>
        <source>no orders in the last %1</source>
        <translation>最近%1无订单</translation>
    </message>
    <message>
        <source>No orders in the last %1 yet.
New orders appear here within a second.</source>
        <translation>最近%1暂无订单。
新订单会在一秒内显示在这里。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>orders %1</source>
        <translation>订单数（%1）</translation>
    </message>
    <message>
        <source>ARPU · rolling %1</source>
        <translation>ARPU · 滚动%1</translation>
    </message>
    <message>
        <source>Repeat-purchase rate · rolling %1</source>
        <translation>复购率 · 滚动%1</translation>
    </message>
    <message>
        <source>%1 per paying user</source>
        <translation>%1/付费用户</translation>
    </message>
    <message>
        <source>% of paying users</source>
        <translation>占付费用户的比例（%）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::KpiTile</name>
    <message>
        <source>waiting for data</source>
        <translation>等待数据</translation>
    </message>
    <message>
        <source>no data in the %1</source>
        <translation>%1无数据</translation>
    </message>
    <message>
        <source>%1 %2% vs %3</source>
        <translation>较%3 %1 %2%</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>数据看板</translation>
    </message>
    <message>
        <source>Flywheel — %1</source>
        <translation>Flywheel — %1</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>正在启动%1…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接：%1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>已连接：%1</translation>
    </message>
    <message>
        <source>Disconnected from %1. %2</source>
        <translation>连接已断开：%1。%2</translation>
    </message>
    <message>
        <source>%1 could not be started: %2</source>
        <translation>无法启动%1：%2</translation>
    </message>
</context>
</TS>
