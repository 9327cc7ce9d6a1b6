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
        <source>Page to show first: %1.</source>
        <translation>首先显示的页面：%1。</translation>
    </message>
    <message>
        <source>Dashboard window to show first: 5m, 1h, 24h or 7d.</source>
        <translation>数据看板首先显示的时间窗口：5m、1h、24h 或 7d。</translation>
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
    <message>
        <source>Render the main window to the PNG FILE and exit, once the page shown has its first data.</source>
        <translation>在所显示的页面获得首批数据后，将主窗口渲染为 PNG 文件 FILE 并退出。</translation>
    </message>
    <message>
        <source>With --screenshot: render SECONDS after the page&apos;s first data (default 3).</source>
        <translation>与 --screenshot 一起使用：在页面获得首批数据 SECONDS 秒后渲染（默认 3）。</translation>
    </message>
    <message>
        <source>With --screenshot: give up (exit 1, no file) when the page has no data after SECONDS (default 120).</source>
        <translation>与 --screenshot 一起使用：页面在 SECONDS 秒后仍没有数据时放弃（退出码 1，不写文件；默认 120）。</translation>
    </message>
    <message>
        <source>--screenshot-timeout only applies with --screenshot.</source>
        <translation>--screenshot-timeout 只能与 --screenshot 一起使用。</translation>
    </message>
    <message>
        <source>--screenshot-timeout needs seconds above 0 and up to 86400, got &apos;%1&apos;.</source>
        <translation>--screenshot-timeout 需要大于 0 且不超过 86400 的秒数，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>the %1 page had no data after %2 s, so no screenshot was written; is the backend running? (wait longer with --screenshot-timeout)</source>
        <translation>%1 页面在 %2 秒后仍没有数据，因此未写入截图；后端是否在运行？（可用 --screenshot-timeout 等待更久）</translation>
    </message>
    <message>
        <source>Connect to the flywheeld at HOST:PORT (plaintext, no token), or through the saved connection profile PROFILE (File → Connect…).</source>
        <translation>连接到位于 HOST:PORT 的 flywheeld（明文，不带令牌），或通过已保存的连接配置 PROFILE 连接（文件 → 连接…）。</translation>
    </message>
    <message>
        <source>--connect needs HOST:PORT with a port from 1 to 65535, or a profile name, got &apos;%1&apos;.</source>
        <translation>--connect 需要 HOST:PORT（端口为 1 到 65535）或一个连接配置名称，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>--connect: there is no connection profile named &apos;%1&apos; (none is saved; add one with File → Connect…), and it is not HOST:PORT.</source>
        <translation>--connect：没有名为“%1”的连接配置（尚未保存任何配置；可通过 文件 → 连接… 添加），且它也不是 HOST:PORT。</translation>
    </message>
    <message>
        <source>--connect: there is no connection profile named &apos;%1&apos;, and it is not HOST:PORT; profiles are: %2.</source>
        <translation>--connect：没有名为“%1”的连接配置，且它也不是 HOST:PORT；现有配置：%2。</translation>
    </message>
    <message>
        <source>--tab &apos;%1&apos; is unknown; the %2 page&apos;s tabs are: %3.</source>
        <translation>未知的 --tab“%1”；%2 页面的标签页有：%3。</translation>
    </message>
    <message>
        <source>With --page subsidy: tab to show first: config, explain or roi; with --page payments: channels, preview, performance, refused or orders; with --page alerts: alerts or thresholds.</source>
        <translation>与 --page subsidy 一起使用时，首先显示的标签页：config、explain 或 roi；与 --page payments 一起使用时：channels、preview、performance、refused 或 orders；与 --page alerts 一起使用时：alerts 或 thresholds。</translation>
    </message>
    <message>
        <source>--tab only applies with --page subsidy, payments or alerts.</source>
        <translation>--tab 只能与 --page subsidy、payments 或 alerts 一起使用。</translation>
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
    <name>flywheel::ui::AlertClient</name>
    <message>
        <source>The backend closed the alerts stream.</source>
        <translation>后端关闭了告警数据流。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AlertText</name>
    <message>
        <source>Slow stock confirmation of paid orders</source>
        <translation>已支付订单库存确认缓慢</translation>
    </message>
    <message>
        <source>Illegal order state change</source>
        <translation>非法订单状态变更</translation>
    </message>
    <message>
        <source>Pricing file reload failed</source>
        <translation>定价文件重新加载失败</translation>
    </message>
    <message>
        <source>Slow order creation (P99)</source>
        <translation>订单创建缓慢（P99）</translation>
    </message>
    <message>
        <source>Subsidy budget near its cap</source>
        <translation>补贴预算接近上限</translation>
    </message>
    <message>
        <source>Fires when more than the threshold share of paid orders waited longer than the limit for their stock to be confirmed, over the window.</source>
        <translation>在时间窗口内，库存确认等待时间超过限制的已支付订单占比高于阈值时触发。</translation>
    </message>
    <message>
        <source>Fires when more than the allowed number of illegal order state changes (a paid order cancelled, an expired order paid…) were attempted within the window.</source>
        <translation>在时间窗口内尝试的非法订单状态变更（如取消已支付订单、支付已过期订单…）超过允许次数时触发。</translation>
    </message>
    <message>
        <source>Fires when the watched pricing file could not be applied; the rules in force stay. Resolves at the next good reload.</source>
        <translation>所监视的定价文件无法应用时触发；当前生效的规则保持不变。下次重新加载成功后恢复。</translation>
    </message>
    <message>
        <source>Fires when the 99th percentile of order creation time over the window is above the threshold.</source>
        <translation>时间窗口内订单创建耗时的第 99 百分位高于阈值时触发。</translation>
    </message>
    <message>
        <source>Fires when a first-order subsidy budget has spent the threshold share of its total or daily cap.</source>
        <translation>首单补贴预算的花费达到其总上限或每日上限的阈值比例时触发。</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Firing since %1</source>
        <translation>告警中（自 %1 起）</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>any failure</source>
        <translation>任意一次失败</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Disabled in the thresholds: it never fires.</source>
        <translation>已在阈值中停用：不会触发。</translation>
    </message>
    <message>
        <source>%1 paid orders in the last %2: too few to judge (at least %3).</source>
        <translation>最近 %2 内有 %1 笔已支付订单：数量太少，无法判断（至少需要 %3 笔）。</translation>
    </message>
    <message>
        <source>%1 of %2 paid orders (%3) in the last %4 waited more than %5 s for their stock to be confirmed; threshold %6.</source>
        <translation>最近 %4 内，%2 笔已支付订单中有 %1 笔（%3）等待库存确认超过 %5 秒；阈值 %6。</translation>
    </message>
    <message>
        <source>No illegal order state change was attempted in the last %1.</source>
        <translation>最近 %1 内没有尝试过非法订单状态变更。</translation>
    </message>
    <message>
        <source>the last on a demo order, %1 → %2</source>
        <translation>最近一次发生在演示订单上，%1 → %2</translation>
    </message>
    <message>
        <source>the last on order %1, %2 → %3</source>
        <translation>最近一次发生在订单 %1 上，%2 → %3</translation>
    </message>
    <message>
        <source>The pricing file could not be applied: %1. The rules in force stay until it is fixed.</source>
        <translation>定价文件无法应用：%1。修复之前，当前生效的规则保持不变。</translation>
    </message>
    <message>
        <source>The pricing file&apos;s last reload was applied (or no file is watched).</source>
        <translation>定价文件最近一次重新加载已应用（或未监视任何文件）。</translation>
    </message>
    <message>
        <source>%1 orders created in the last %2: too few to judge (at least %3).</source>
        <translation>最近 %2 内创建了 %1 笔订单：数量太少，无法判断（至少需要 %3 笔）。</translation>
    </message>
    <message>
        <source>99 % of the %1 orders created in the last %2 took at most %3 ms; threshold %4 ms.</source>
        <translation>最近 %2 内创建的 %1 笔订单中，99 % 的耗时不超过 %3 毫秒；阈值 %4 毫秒。</translation>
    </message>
    <message>
        <source>No first-order subsidy budget is in force.</source>
        <translation>当前没有生效的首单补贴预算。</translation>
    </message>
    <message>
        <source>Budget “%1” has spent %2 of its cap; threshold %3.</source>
        <translation>预算“%1”已花费其上限的 %2；阈值 %3。</translation>
    </message>
    <message>
        <source>No alerts firing</source>
        <translation>无告警</translation>
    </message>
    <message>
        <source>1 alert firing</source>
        <translation>1 条告警</translation>
    </message>
    <message>
        <source>%1 alerts firing</source>
        <translation>%1 条告警</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>second</source>
        <translation>1 秒</translation>
    </message>
    <message>
        <source>One illegal order state change was attempted in the last %1 (%2).</source>
        <translation>最近 %1 内有 1 次非法订单状态变更尝试（%2）。</translation>
    </message>
    <message>
        <source>%1 illegal order state changes were attempted in the last %2 (%3).</source>
        <translation>最近 %2 内有 %1 次非法订单状态变更尝试（%3）。</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AlertsPage</name>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>What it meant</source>
        <translation>当时含义</translation>
    </message>
    <message>
        <source>Waiting for the backend&apos;s alerts…</source>
        <translation>正在等待后端的告警…</translation>
    </message>
    <message>
        <source>Now (evaluated every second over sliding windows)</source>
        <translation>当前（每秒按滑动时间窗口评估）</translation>
    </message>
    <message>
        <source>History (newest first)</source>
        <translation>历史记录（最新在前）</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>The thresholds could not be loaded. %1</source>
        <translation>无法加载阈值。%1</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>触发</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>No alert is firing. Thresholds version %1.</source>
        <translation>没有正在触发的告警。阈值版本 %1。</translation>
    </message>
    <message>
        <source>%1 of %2 alerts firing. Thresholds version %3.</source>
        <translation>%2 条告警中有 %1 条正在触发。阈值版本 %3。</translation>
    </message>
    <message>
        <source>This backend has no business alerts (an older version).</source>
        <translation>此后端没有业务告警（它是旧版本）。</translation>
    </message>
    <message>
        <source>The alerts are not current: %1 Trying again in %2 s.</source>
        <translation>告警不是最新的：%1 将在 %2 秒后重试。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AuditDiffView</name>
    <message>
        <source>This change recorded no text before or after it.</source>
        <translation>这次变更前后都没有记录文本。</translation>
    </message>
    <message>
        <source>First version: nothing came before version %1 of %2 (%3), so every line is new.</source>
        <translation>首个版本：%2（%3）的版本 %1 之前没有内容，因此每一行都是新增的。</translation>
    </message>
    <message>
        <source>No before: %1 (%2) had no text before this change, so every line is new.</source>
        <translation>没有变更前内容：%1（%2）在这次变更之前没有文本，因此每一行都是新增的。</translation>
    </message>
    <message>
        <source>No after: this change removed %1 (%2), so every line is gone.</source>
        <translation>没有变更后内容：这次变更删除了 %1（%2），因此每一行都被移除。</translation>
    </message>
    <message>
        <source>Before and after are the same.</source>
        <translation>变更前后相同。</translation>
    </message>
    <message>
        <source>The texts are too long to compare line by line: the changed middle part is shown as removed and added whole.</source>
        <translation>文本过长，无法逐行比较：变化的中间部分整体显示为删除和新增。</translation>
    </message>
    <message>
        <source>Before → after: %1 added, %2 removed.</source>
        <translation>变更前 → 变更后：新增 %1，删除 %2。</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AuditModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>From where</source>
        <translation>来源地址</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AuditPage</name>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>until:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>Load older</source>
        <translation>加载更早的记录</translation>
    </message>
    <message>
        <source>Restore this version…</source>
        <translation>恢复此版本…</translation>
    </message>
    <message>
        <source>Every change an operator made: who, when, from where, what and why.</source>
        <translation>操作员做过的每一次变更：谁、何时、从哪里、改了什么以及原因。</translation>
    </message>
    <message>
        <source>All areas</source>
        <translation>全部范围</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <source>The token name of who made the change; empty for everyone.</source>
        <translation>做出变更者的令牌名称；留空表示所有人。</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>From – until…</source>
        <translation>自定义起止时间…</translation>
    </message>
    <message>
        <source>Area:</source>
        <translation>范围：</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>时间：</translation>
    </message>
    <message>
        <source>Load the next %1 older entries.</source>
        <translation>再加载 %1 条更早的记录。</translation>
    </message>
    <message>
        <source>The period is empty: “from” (%1) must be before “until” (%2).</source>
        <translation>时间段为空：“从”（%1）必须早于“到”（%2）。</translation>
    </message>
    <message>
        <source>Could not load the audit log. %1 The list shows what was loaded before; press Refresh to try again.</source>
        <translation>无法加载审计日志。%1 列表显示的是之前加载的内容；请按“刷新”重试。</translation>
    </message>
    <message>
        <source>Could not load the audit log. %1 Press Refresh to try again.</source>
        <translation>无法加载审计日志。%1 请按“刷新”重试。</translation>
    </message>
    <message>
        <source>Select an entry to see what it changed.</source>
        <translation>选择一条记录以查看它改了什么。</translation>
    </message>
    <message>
        <source>%1 · %2 · version %3</source>
        <translation>%1 · %2 · 版本 %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Entry %1: %2
By %3 from %4 at %5.
Reason: %6</source>
        <translation>记录 %1：%2
由 %3 于 %5 从 %4 操作。
原因：%6</translation>
    </message>
    <message>
        <source>Chain hash: %1</source>
        <translation>链哈希：%1</translation>
    </message>
    <message>
        <source>Waiting for the backend…</source>
        <translation>正在等待后端…</translation>
    </message>
    <message>
        <source>No entries to show: they could not be loaded (see above).</source>
        <translation>没有可显示的记录：无法加载（见上方）。</translation>
    </message>
    <message>
        <source>Loading the audit log…</source>
        <translation>正在加载审计日志…</translation>
    </message>
    <message>
        <source>No change matches the filters.</source>
        <translation>没有符合筛选条件的变更。</translation>
    </message>
    <message>
        <source>Nothing has been changed yet. Every change an operator makes appears here.</source>
        <translation>还没有任何变更。操作员做出的每一次变更都会显示在这里。</translation>
    </message>
    <message>
        <source>Select an entry first.</source>
        <translation>请先选择一条记录。</translation>
    </message>
    <message>
        <source>This change made no version of %1, so there is nothing to restore.</source>
        <translation>这次变更没有产生%1的版本，因此没有可恢复的内容。</translation>
    </message>
    <message>
        <source>%1 has no versions that can be restored.</source>
        <translation>%1没有可恢复的版本。</translation>
    </message>
    <message>
        <source>Version %1 is the current version of %2.</source>
        <translation>版本 %1 就是%2的当前版本。</translation>
    </message>
    <message>
        <source>The backend says version %1 of %2 cannot be restored.</source>
        <translation>后端表示%2的版本 %1 无法恢复。</translation>
    </message>
    <message>
        <source>The backend did not say which version of %1 is current: refresh and try again.</source>
        <translation>后端没有说明%1的当前版本：请刷新后重试。</translation>
    </message>
    <message>
        <source>Editing is locked on this connection: unlock it from the bar at the top of the window first.</source>
        <translation>此连接的编辑已锁定：请先通过窗口顶部的提示栏解锁。</translation>
    </message>
    <message>
        <source>Not connected to a backend.</source>
        <translation>未连接到后端。</translation>
    </message>
    <message>
        <source>A restore is on its way.</source>
        <translation>恢复请求正在进行中。</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <source>Why restore version %1 of %2? (required; it is kept in the audit log)</source>
        <translation>为什么要恢复%2的版本 %1？（必填；会保存在审计日志中）</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>%1 is now at version %2, restored from version %3.</source>
        <translation>%1现在为版本 %2，由版本 %3 恢复而来。</translation>
    </message>
    <message>
        <source>Someone changed %1 meanwhile: it is no longer at version %2 (%3). The list is refreshed; check the entry and restore again if you still want to.</source>
        <translation>在此期间有人修改了%1：它已不再是版本 %2（%3）。列表已刷新；请检查该记录，如仍需要请再次恢复。</translation>
    </message>
    <message>
        <source>The backend refused to restore %1: %2</source>
        <translation>后端拒绝恢复%1：%2</translation>
    </message>
    <message>
        <source>The backend found a problem with the restore of %1: %2</source>
        <translation>后端发现恢复%1时有问题：%2</translation>
    </message>
    <message>
        <source>Could not restore %1. %2</source>
        <translation>无法恢复%1。%2</translation>
    </message>
    <message>
        <source>Make version %1 of %2 current again; %2 is at version %3 now. This is saved as a new version, and audited.</source>
        <translation>将%2的版本 %1 重新设为当前版本；%2目前为版本 %3。这会保存为一个新版本，并记入审计日志。</translation>
    </message>
    <message>
        <source>Make version %1 of %2 current again? %2 is at version %3 now; the restore saves a new version and is itself audited.</source>
        <translation>将%2的版本 %1 重新设为当前版本？%2目前为版本 %3；恢复会保存一个新版本，且本身也会记入审计日志。</translation>
    </message>
    <message>
        <source>Experiments change only through Start, Stop, Ship and Roll back on the Experiments page, so users already assigned keep their variant.</source>
        <translation>实验只能在“实验”页面通过启动、停止、发布和回滚来更改，这样已分配的用户会保留其变体。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::AuditText</name>
    <message>
        <source>Pricing</source>
        <translation>定价</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>人群分组</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>邀请裂变</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Commissions</source>
        <translation>佣金</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Storefront</source>
        <translation>店面</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>查看者</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Subsidies</source>
        <translation>补贴</translation>
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
        <source>The backend reported an error: %1</source>
        <translation>后端报告了错误：%1</translation>
    </message>
    <message>
        <source>not connected yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not signed by a CA this computer trusts (%1).</source>
        <translation>服务器证书不是由本机信任的 CA 签发的（%1）。</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not signed by the CA in %1 (%2).</source>
        <translation>服务器证书不是由 %1 中的 CA 签发的（%2）。</translation>
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation>TLS 握手失败：%1</translation>
    </message>
    <message>
        <source>The token was refused: %1</source>
        <translation>令牌被拒绝：%1</translation>
    </message>
    <message>
        <source>Your role may not do this: %1</source>
        <translation>您的角色无权执行此操作：%1</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::CartTab</name>
    <message>
        <source>List price</source>
        <translation>原价</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>No rule applies</source>
        <translation>没有适用的规则</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加商品</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>移除商品</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>试算</translation>
    </message>
    <message>
        <source>Customer (uid):</source>
        <translation>客户（uid）：</translation>
    </message>
    <message>
        <source>Live rules</source>
        <translation>现行规则</translation>
    </message>
    <message>
        <source>Draft rules</source>
        <translation>草稿规则</translation>
    </message>
    <message>
        <source>The draft is the rule set shown on the Rules tab; the cart is only priced, no order is placed.</source>
        <translation>草稿即“规则”标签页中显示的规则集；此处仅计算购物车价格，不会下单。</translation>
    </message>
    <message>
        <source>Add at least one product to the cart.</source>
        <translation>请至少向购物车添加一件商品。</translation>
    </message>
    <message>
        <source>Priced with version %1, as an order would be now.</source>
        <translation>按版本 %1 计价，与此刻下单的价格相同。</translation>
    </message>
    <message>
        <source>The draft charges the same as the live rules for this cart.</source>
        <translation>对此购物车，草稿规则与现行规则收费相同。</translation>
    </message>
    <message>
        <source>The draft charges %1 less than the live rules for this cart.</source>
        <translation>对此购物车，草稿规则比现行规则少收 %1。</translation>
    </message>
    <message>
        <source>The draft charges %1 more than the live rules for this cart.</source>
        <translation>对此购物车，草稿规则比现行规则多收 %1。</translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2（%3）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChannelEditor</name>
    <message>
        <source>Enabled: orders may be routed here</source>
        <translation>启用：订单可路由到此渠道</translation>
    </message>
    <message>
        <source>Lower goes first (0-1000).</source>
        <translation>数值越小越优先（0-1000）。</translation>
    </message>
    <message>
        <source>The success floor applies once the window holds at least this many outcomes.</source>
        <translation>窗口内至少有这么多笔结果后，成功率下限才生效。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>e.g. wechat_main</source>
        <translation>例如 wechat_main</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>shown to operators</source>
        <translation>显示给运营人员</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Fee, %</source>
        <translation>费率，%</translation>
    </message>
    <message>
        <source>e.g. 0.6</source>
        <translation>例如 0.6</translation>
    </message>
    <message>
        <source>Minimum amount</source>
        <translation>最低金额</translation>
    </message>
    <message>
        <source>e.g. 1.00</source>
        <translation>例如 1.00</translation>
    </message>
    <message>
        <source>Maximum amount</source>
        <translation>最高金额</translation>
    </message>
    <message>
        <source>0 or empty: no maximum</source>
        <translation>0 或留空：不设上限</translation>
    </message>
    <message>
        <source>Currencies</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>ISO codes, e.g. CNY, USD</source>
        <translation>ISO 代码，例如 CNY, USD</translation>
    </message>
    <message>
        <source>Success floor, %</source>
        <translation>成功率下限，%</translation>
    </message>
    <message>
        <source>0: off</source>
        <translation>0：关闭</translation>
    </message>
    <message>
        <source>Minimum outcomes</source>
        <translation>最少结果数</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>Merchant id</source>
        <translation>商户号</translation>
    </message>
    <message>
        <source>App id</source>
        <translation>应用 ID</translation>
    </message>
    <message>
        <source>Merchant certificate serial</source>
        <translation>商户证书序列号</translation>
    </message>
    <message>
        <source>Platform key id</source>
        <translation>平台公钥 ID</translation>
    </message>
    <message>
        <source>Confirmations</source>
        <translation>确认数</translation>
    </message>
    <message>
        <source>Invoice expiry</source>
        <translation>账单有效期</translation>
    </message>
    <message>
        <source>Tolerated underpayment, %</source>
        <translation>可容忍的少付比例，%</translation>
    </message>
    <message>
        <source>e.g. 0.5</source>
        <translation>例如 0.5</translation>
    </message>
    <message>
        <source>Credentials (files on the daemon&apos;s machine; their content never leaves it)</source>
        <translation>凭据（守护进程所在机器上的文件；其内容绝不离开该机器）</translation>
    </message>
    <message>
        <source>path hidden; empty keeps the saved path</source>
        <translation>路径已隐藏；留空则保留已保存的路径</translation>
    </message>
    <message>
        <source>/etc/flywheel/… (a file path, never the key itself)</source>
        <translation>/etc/flywheel/…（文件路径，绝不是密钥本身）</translation>
    </message>
    <message>
        <source>Not saved yet: type the path of the file and save.</source>
        <translation>尚未保存：请输入文件路径并保存。</translation>
    </message>
    <message>
        <source>The id must be 1-40 characters: lower-case letters, digits, “_” or “-”.</source>
        <translation>ID 必须为 1-40 个字符：小写字母、数字、“_”或“-”。</translation>
    </message>
    <message>
        <source>%1 must be a percentage from 0 to 100 with at most two decimals, such as 0.6.</source>
        <translation>%1必须是 0 到 100 之间、最多两位小数的百分比，例如 0.6。</translation>
    </message>
    <message>
        <source>The fee</source>
        <translation>费率</translation>
    </message>
    <message>
        <source>The success floor</source>
        <translation>成功率下限</translation>
    </message>
    <message>
        <source>The tolerated underpayment</source>
        <translation>可容忍的少付比例</translation>
    </message>
    <message>
        <source>The minimum must be an amount such as 1.00.</source>
        <translation>最低金额必须是金额，例如 1.00。</translation>
    </message>
    <message>
        <source>The maximum must be an amount such as 5000.00, or empty.</source>
        <translation>最高金额必须是金额（例如 5000.00）或留空。</translation>
    </message>
    <message>
        <source>The maximum must not be below the minimum.</source>
        <translation>最高金额不能低于最低金额。</translation>
    </message>
    <message>
        <source>Give at least one currency as a three-letter code, several separated by commas.</source>
        <translation>请至少填写一个三字母币种代码，多个以逗号分隔。</translation>
    </message>
    <message>
        <source>The endpoint must be an http(s) address, or sandbox for the demo&apos;s local sandbox.</source>
        <translation>端点必须是 http(s) 地址，或 sandbox（演示用的本地沙箱）。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChannelFactory</name>
    <message>
        <source>The CA file “%1” cannot be read: %2.</source>
        <translation>无法读取 CA 文件“%1”：%2。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChannelMinuteChart</name>
    <message>
        <source>Success rate per minute</source>
        <translation>每分钟成功率</translation>
    </message>
    <message>
        <source>Latency, create to paid (p50 and p95)</source>
        <translation>延迟，从创建到支付（p50 和 p95）</translation>
    </message>
    <message>
        <source>Volume paid per minute</source>
        <translation>每分钟支付金额</translation>
    </message>
    <message>
        <source>Waiting for the channel figures…</source>
        <translation>正在等待渠道数据…</translation>
    </message>
    <message>
        <source>No payment succeeded on this channel in the last hour.</source>
        <translation>过去一小时内此渠道没有成功的支付。</translation>
    </message>
    <message>
        <source>Nothing paid on this channel in the last hour.</source>
        <translation>过去一小时内此渠道没有任何支付。</translation>
    </message>
    <message>
        <source>No payment finished on this channel in the last hour.</source>
        <translation>过去一小时内此渠道没有完成的支付。</translation>
    </message>
    <message>
        <source>Success rate, %</source>
        <translation>成功率，%</translation>
    </message>
    <message>
        <source>p50, ms</source>
        <translation>p50，毫秒</translation>
    </message>
    <message>
        <source>p95, ms</source>
        <translation>p95，毫秒</translation>
    </message>
    <message>
        <source>Paid, %1</source>
        <translation>已支付，%1</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChannelText</name>
    <message>
        <source>This backend has no payment channels (it is an older version): the rest of the console works as before.</source>
        <translation>此后端没有支付渠道（它是旧版本）：控制台的其余部分照常工作。</translation>
    </message>
    <message>
        <source>Two channels have the id “%1”; ids must be unique.</source>
        <translation>有两个渠道的 ID 都是“%1”；ID 必须唯一。</translation>
    </message>
    <message>
        <source>%1 (%2), %3, priority %4, fee %5</source>
        <translation>%1（%2），%3，优先级 %4，费率 %5</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>success rate window %1 → %2 min</source>
        <translation>成功率窗口 %1 → %2 分钟</translation>
    </message>
    <message>
        <source>query after %1 → %2 s</source>
        <translation>查询等待 %1 → %2 秒</translation>
    </message>
    <message>
        <source>%1 removed</source>
        <translation>已删除 %1</translation>
    </message>
    <message>
        <source>%1 added</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>%1 %2 → %3</source>
        <translation>%1 %2 → %3</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>fee</source>
        <translation>费率</translation>
    </message>
    <message>
        <source>minimum</source>
        <translation>最低金额</translation>
    </message>
    <message>
        <source>maximum</source>
        <translation>最高金额</translation>
    </message>
    <message>
        <source>success floor</source>
        <translation>成功率下限</translation>
    </message>
    <message>
        <source>new path for %1</source>
        <translation>%1 的新路径</translation>
    </message>
    <message>
        <source>other settings</source>
        <translation>其他设置</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChannelsTab</name>
    <message>
        <source>Add channel</source>
        <translation>添加渠道</translation>
    </message>
    <message>
        <source>Remove channel</source>
        <translation>删除渠道</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Select a version to see what changed against the version before it.</source>
        <translation>选择一个版本，查看它相对前一版本的更改。</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>费率</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>最低金额</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最高金额</translation>
    </message>
    <message>
        <source>Currencies</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>Success floor</source>
        <translation>成功率下限</translation>
    </message>
    <message>
        <source>Credentials</source>
        <translation>凭据</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>The recent window over which each channel&apos;s success rate is measured.</source>
        <translation>计算各渠道成功率所用的近期窗口。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>How long an unpaid payment waits before the provider is asked about it.</source>
        <translation>未支付的支付在向服务商查询前等待的时间。</translation>
    </message>
    <message>
        <source>Success rate window</source>
        <translation>成功率窗口</translation>
    </message>
    <message>
        <source>Query the provider after</source>
        <translation>查询服务商的等待时间</translation>
    </message>
    <message>
        <source>Selected channel</source>
        <translation>所选渠道</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>no maximum</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the first version</source>
        <translation>第一个版本</translation>
    </message>
    <message>
        <source>Read only: only admins change payment channels. %1</source>
        <translation>只读：只有管理员可以修改支付渠道。%1</translation>
    </message>
    <message>
        <source>The channels are not loaded yet.</source>
        <translation>渠道尚未加载。</translation>
    </message>
    <message>
        <source>Change something first.</source>
        <translation>请先做出更改。</translation>
    </message>
    <message>
        <source>Correct the values marked in red first.</source>
        <translation>请先更正标为红色的值。</translation>
    </message>
    <message>
        <source>The payment channels are not loaded yet.</source>
        <translation>支付渠道尚未加载。</translation>
    </message>
    <message>
        <source>Version %1 is in force. Select a channel to see or change it; “Save…” makes a new version.</source>
        <translation>版本 %1 正在生效。选择一个渠道以查看或修改；“保存…”会生成新版本。</translation>
    </message>
    <message>
        <source>Unsaved draft based on version %1: payments follow the saved channels until you save.</source>
        <translation>基于版本 %1 的未保存草稿：在你保存之前，支付仍按已保存的渠道进行。</translation>
    </message>
    <message>
        <source>It cannot be saved yet: %1</source>
        <translation>暂时无法保存：%1</translation>
    </message>
    <message>
        <source>Version %1 has been saved since, so saving this draft will be refused.</source>
        <translation>此后已保存了版本 %1，因此保存此草稿会被拒绝。</translation>
    </message>
    <message>
        <source>Save the payment channels</source>
        <translation>保存支付渠道</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Payments are routed by the new version as soon as it is saved.</source>
        <translation>保存后，支付立即按新版本路由。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The channels are not loaded yet; nothing was saved.</source>
        <translation>渠道尚未加载；未保存任何内容。</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <source>Nothing was saved: the channels are the same as version %1.</source>
        <translation>未保存任何内容：渠道与版本 %1 相同。</translation>
    </message>
    <message>
        <source>Saving needs a reason; nothing was saved.</source>
        <translation>保存必须填写原因；未保存任何内容。</translation>
    </message>
    <message>
        <source>The channels were not saved</source>
        <translation>渠道未保存</translation>
    </message>
    <message>
        <source>Saved as version %1: payments are routed by it from now on.</source>
        <translation>已保存为版本 %1：从现在起支付按它路由。</translation>
    </message>
    <message>
        <source>%1: someone else saved a newer version while you were editing. Your draft is kept: compare with the newest version in the history, then discard your draft or make your changes again on top of it.</source>
        <translation>%1：在你编辑期间，其他人保存了更新的版本。你的草稿已保留：请与历史中的最新版本比较，然后放弃草稿，或在其基础上重新做出更改。</translation>
    </message>
    <message>
        <source>%1: the backend refused it: %2. Your draft is kept: correct it and save again.</source>
        <translation>%1：后端拒绝了它：%2。你的草稿已保留：请更正后重新保存。</translation>
    </message>
    <message>
        <source>%1: the backend says your role may not change it (%2).</source>
        <translation>%1：后端表示你的角色无权修改它（%2）。</translation>
    </message>
    <message>
        <source>%1: the backend refused: %2</source>
        <translation>%1：后端拒绝：%2</translation>
    </message>
    <message>
        <source>%1. %2 Your draft is kept: save again when the backend is back.</source>
        <translation>%1。%2 你的草稿已保留：请在后端恢复后重新保存。</translation>
    </message>
    <message>
        <source>This version is the one in force.</source>
        <translation>此版本即当前生效的版本。</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3, by %4): “%5”</source>
        <translation>版本 %1（%2，%3，由 %4）：“%5”</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Nothing changed against version %1.</source>
        <translation>相对版本 %1 没有任何更改。</translation>
    </message>
    <message>
        <source>Changed against version %1:</source>
        <translation>相对版本 %1 的更改：</translation>
    </message>
    <message>
        <source>The oldest version listed, with these channels:</source>
        <translation>列出的最早版本，包含以下渠道：</translation>
    </message>
    <message>
        <source>Roll back the payment channels</source>
        <translation>回滚支付渠道</translation>
    </message>
    <message>
        <source>Why roll back to version %1? (required; it is kept in the history)</source>
        <translation>为什么要回滚到版本 %1？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Make the channels of version %1 the ones in force? Payments are routed by them from now on. This is saved as a new version.</source>
        <translation>让版本 %1 的渠道生效？从现在起支付按它们路由。此操作会保存为一个新版本。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>The channels were not rolled back</source>
        <translation>渠道未回滚</translation>
    </message>
    <message>
        <source>Rolled back to version %1: the channels in force are now version %2.</source>
        <translation>已回滚到版本 %1：当前生效的渠道现在是版本 %2。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ChartPanel</name>
    <message>
        <source>series</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>set</source>
        <translation>数据组</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Export as PNG…</source>
        <translation>导出为 PNG…</translation>
    </message>
    <message>
        <source>Export data as CSV…</source>
        <translation>将数据导出为 CSV…</translation>
    </message>
    <message>
        <source>Export the chart as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>Export the chart&apos;s data as CSV</source>
        <translation>将图表数据导出为 CSV</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>%1 does not end in .png or .csv: nothing was written.</source>
        <translation>%1 的扩展名不是 .png 或 .csv：未写入任何内容。</translation>
    </message>
    <message>
        <source>The chart was not exported. %1</source>
        <translation>图表未导出。%1</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::CommissionsModel</name>
    <message>
        <source>%1 + %2</source>
        <translation>%1 + %2</translation>
    </message>
    <message>
        <source>The rates the commission was created with, under programme version %1.</source>
        <translation>创建该佣金时的比例（方案版本 %1）。</translation>
    </message>
    <message>
        <source>Earns the level-1 commission: invited the buyer.</source>
        <translation>获得一级佣金：邀请了买家。</translation>
    </message>
    <message>
        <source>Earns the level-2 commission: invited the level-1 user.</source>
        <translation>获得二级佣金：邀请了一级用户。</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>买家</translation>
    </message>
    <message>
        <source>Level 1
user</source>
        <translation>一级
用户</translation>
    </message>
    <message>
        <source>Level 2
user</source>
        <translation>二级
用户</translation>
    </message>
    <message>
        <source>Order
total</source>
        <translation>订单
金额</translation>
    </message>
    <message>
        <source>Level 1
amount</source>
        <translation>一级
佣金</translation>
    </message>
    <message>
        <source>Level 2
amount</source>
        <translation>二级
佣金</translation>
    </message>
    <message>
        <source>Rates</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::CommissionsTab</name>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>any user</source>
        <translation>任意用户</translation>
    </message>
    <message>
        <source>Commissions where this user is the buyer or earns the level-1 or level-2 commission.</source>
        <translation>该用户作为买家、或获得一级或二级佣金的佣金记录。</translation>
    </message>
    <message>
        <source>Loading the commissions…</source>
        <translation>正在加载佣金…</translation>
    </message>
    <message>
        <source>Review passed</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>The review of the selected pending commissions passed: their level-1 commissions become owed.</source>
        <translation>所选待审核佣金审核通过：其一级佣金计为应付。</translation>
    </message>
    <message>
        <source>The selected reviewed commissions are confirmed: their level-2 commissions become owed.</source>
        <translation>确认所选已审核佣金：其二级佣金计为应付。</translation>
    </message>
    <message>
        <source>Pays the selected confirmed commissions out. This cannot be undone.</source>
        <translation>向所选已确认佣金付款。此操作无法撤销。</translation>
    </message>
    <message>
        <source>The backend refused the filter: %1</source>
        <translation>后端拒绝了此筛选条件：%1</translation>
    </message>
    <message>
        <source>%1 %2 (nothing owed yet)</source>
        <translation>%1 %2 笔（尚无应付）</translation>
    </message>
    <message>
        <source>%1 %2 (%3 paid out)</source>
        <translation>%1 %2 笔（已付 %3）</translation>
    </message>
    <message>
        <source>%1 %2 (nothing owed)</source>
        <translation>%1 %2 笔（无应付）</translation>
    </message>
    <message>
        <source>%1 %2 (%3 owed)</source>
        <translation>%1 %2 笔（应付 %3）</translation>
    </message>
    <message>
        <source>All commissions: %1.</source>
        <translation>全部佣金：%1。</translation>
    </message>
    <message>
        <source>Only the newest %1 that match are listed; filter by state or user to find older ones.</source>
        <translation>仅列出符合条件的最新 %1 笔；按状态或用户筛选可查找更早的记录。</translation>
    </message>
    <message>
        <source>No commission matches the filter.</source>
        <translation>没有符合筛选条件的佣金。</translation>
    </message>
    <message>
        <source>No commissions yet. A commission appears here, pending, when a user who registered with an invite pays an order.</source>
        <translation>暂无佣金。通过邀请注册的用户支付订单后，佣金会以“待审核”状态出现在这里。</translation>
    </message>
    <message>
        <source>Select commissions (Ctrl or Shift for several) to move them on.</source>
        <translation>选择佣金（按住 Ctrl 或 Shift 可多选）以推进其状态。</translation>
    </message>
    <message numerus="yes">
        <source>%n commission(s) selected, %1 owed on them so far.</source>
        <translation>
            <numerusform>已选 %n 笔佣金，目前应付 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pass the review of %n commission(s)? Their level-1 commissions, %1 in all, become owed to the inviters.</source>
        <translation>
            <numerusform>确定 %n 笔佣金审核通过吗？其一级佣金共 %1，将计为应付给邀请人。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Confirm %n commission(s)? Their level-2 commissions, %1 in all, become owed to the inviters&apos; own inviters.</source>
        <translation>
            <numerusform>确定确认 %n 笔佣金吗？其二级佣金共 %1，将计为应付给邀请人的邀请人。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Settle %n commission(s), %1 in all? This pays them out and cannot be undone.</source>
        <translation>
            <numerusform>确定结算 %n 笔佣金，共 %1 吗？这将付款，且无法撤销。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are not %1, so the backend will refuse to move them; they are not counted in the amount.</source>
        <translation>
            <numerusform>其中 %n 笔不处于“%1”状态，后端将拒绝处理；它们未计入上述金额。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the commissions first.</source>
        <translation>请先选择佣金。</translation>
    </message>
    <message>
        <source>Nothing was changed. %1</source>
        <translation>未做任何更改。%1</translation>
    </message>
    <message>
        <source>Commission %1 (order %2, %3): %4</source>
        <translation>佣金 %1（订单 %2，%3）：%4</translation>
    </message>
    <message>
        <source>Commission %1: %2</source>
        <translation>佣金 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n commission(s) moved to %1.</source>
        <translation>
            <numerusform>已将 %n 笔佣金转为“%1”。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No commission was moved to %1; the backend refused %n:</source>
        <translation>
            <numerusform>没有佣金转为“%1”；后端拒绝了 %n 笔：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 commissions moved to %3; the backend refused %n:</source>
        <translation>
            <numerusform>%2 笔佣金中有 %1 笔转为“%3”；后端拒绝了 %n 笔：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ConfigTab</name>
    <message>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <source>What would it have done?</source>
        <translation>它会产生什么效果？</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Select a version to see what changed against the version before it.</source>
        <translation>选择一个版本，查看它相对前一版本的更改。</translation>
    </message>
    <message>
        <source>Replays the draft as typed, and the live config, over the first orders of the last 7 days; nothing is saved.</source>
        <translation>用当前输入的草稿和生效中的配置重放最近 7 天的首单；不会保存任何内容。</translation>
    </message>
    <message>
        <source>Someone saved the config after you started editing. This keeps your draft as typed and saves it on top of their version; compare in the history first.</source>
        <translation>在你开始编辑后有人保存了配置。此操作保留你输入的草稿，并保存在对方的版本之上；请先在历史中比较。</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet: there is no config to edit.</source>
        <translation>此后端尚不提供补贴：没有可编辑的配置。</translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet, so it cannot replay a draft.</source>
        <translation>此后端尚不提供补贴，因此无法重放草稿。</translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet: it is an older version without the subsidy service.</source>
        <translation>此后端尚不提供补贴：它是不含补贴服务的旧版本。</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the first version</source>
        <translation>第一个版本</translation>
    </message>
    <message>
        <source>The config is not loaded yet.</source>
        <translation>配置尚未加载。</translation>
    </message>
    <message>
        <source>Change a value first.</source>
        <translation>请先修改一个值。</translation>
    </message>
    <message>
        <source>Correct the values marked in red first.</source>
        <translation>请先更正标为红色的值。</translation>
    </message>
    <message>
        <source>Save my draft over version %1…</source>
        <translation>将我的草稿保存在版本 %1 之上…</translation>
    </message>
    <message>
        <source>The subsidy config is not loaded yet.</source>
        <translation>补贴配置尚未加载。</translation>
    </message>
    <message>
        <source>Version %1 is in force. Change a value, see what it would have done, then choose “Save…” to make a new version.</source>
        <translation>版本 %1 正在生效。修改一个值，查看它会产生什么效果，然后选择“保存…”生成新版本。</translation>
    </message>
    <message>
        <source>Unsaved draft based on version %1: first orders follow the saved config until you save.</source>
        <translation>基于版本 %1 的未保存草稿：在你保存之前，首单仍按已保存的配置决定。</translation>
    </message>
    <message>
        <source>It cannot be saved while values are marked in red.</source>
        <translation>有值标为红色时无法保存。</translation>
    </message>
    <message>
        <source>Version %1 has been saved since, so saving this draft as it is will be refused. Compare in the history, then discard your draft or save it over version %1.</source>
        <translation>此后已保存了版本 %1，因此按原样保存此草稿将被拒绝。请在历史中比较，然后放弃草稿或将其保存在版本 %1 之上。</translation>
    </message>
    <message>
        <source>Nothing was replayed: %1</source>
        <translation>未重放任何内容：%1</translation>
    </message>
    <message>
        <source>Replaying the last 7 days of first orders…</source>
        <translation>正在重放最近 7 天的首单…</translation>
    </message>
    <message>
        <source>The backend refused to replay the draft: %1</source>
        <translation>后端拒绝重放草稿：%1</translation>
    </message>
    <message>
        <source>The replay failed. %1 Try again when the backend is back.</source>
        <translation>重放失败。%1 请在后端恢复后重试。</translation>
    </message>
    <message>
        <source>Save the subsidy config</source>
        <translation>保存补贴配置</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The config is not loaded yet; nothing was saved.</source>
        <translation>配置尚未加载；未保存任何内容。</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <source>Nothing was saved: the form is the same as version %1.</source>
        <translation>未保存任何内容：表单与版本 %1 相同。</translation>
    </message>
    <message>
        <source>Saving needs a reason; nothing was saved.</source>
        <translation>保存必须填写原因；未保存任何内容。</translation>
    </message>
    <message>
        <source>The config was not saved</source>
        <translation>配置未保存</translation>
    </message>
    <message>
        <source>Saved as version %1: first orders follow it from now on.</source>
        <translation>已保存为版本 %1：从现在起首单按它决定。</translation>
    </message>
    <message>
        <source>%1: someone else saved a newer version while you were editing. Your draft is kept: compare with the newest version in the history, then save your draft over it or discard it.</source>
        <translation>%1：你编辑期间有人保存了更新的版本。你的草稿已保留：请在历史中与最新版本比较，然后将草稿保存在其之上或放弃草稿。</translation>
    </message>
    <message>
        <source>%1: the backend refused “%2”: %3. Your draft is kept: correct the value and save again.</source>
        <translation>%1：后端拒绝了“%2”：%3。你的草稿已保留：请更正该值后重新保存。</translation>
    </message>
    <message>
        <source>%1: the backend refused it: %2. Your draft is kept: correct it and save again.</source>
        <translation>%1：后端拒绝了它：%2。你的草稿已保留：请更正后重新保存。</translation>
    </message>
    <message>
        <source>%1: this backend does not offer subsidies yet.</source>
        <translation>%1：此后端尚不提供补贴。</translation>
    </message>
    <message>
        <source>%1: the backend says your role may not change it (%2).</source>
        <translation>%1：后端表示你的角色无权修改它（%2）。</translation>
    </message>
    <message>
        <source>%1: the backend refused: %2</source>
        <translation>%1：后端拒绝：%2</translation>
    </message>
    <message>
        <source>%1. %2 Your draft is kept: save again when the backend is back.</source>
        <translation>%1。%2 你的草稿已保留：请在后端恢复后重新保存。</translation>
    </message>
    <message>
        <source>Your draft now replaces version %1 when you save; its values are the ones in the form.</source>
        <translation>保存时你的草稿将替换版本 %1；其值即表单中的值。</translation>
    </message>
    <message>
        <source>This version is the one in force.</source>
        <translation>此版本即当前生效的版本。</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3, by %4): “%5”</source>
        <translation>版本 %1（%2，%3，由 %4）：“%5”</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Nothing changed against version %1.</source>
        <translation>相对版本 %1 没有任何更改。</translation>
    </message>
    <message>
        <source>Changed against version %1:</source>
        <translation>相对版本 %1 的更改：</translation>
    </message>
    <message>
        <source>The oldest version listed, with these values:</source>
        <translation>列出的最早版本，其值如下：</translation>
    </message>
    <message>
        <source>Roll back the subsidy config</source>
        <translation>回滚补贴配置</translation>
    </message>
    <message>
        <source>Why roll back to version %1? (required; it is kept in the history)</source>
        <translation>为什么要回滚到版本 %1？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Make the config of version %1 the one in force? First orders are decided with it from now on. This is saved as a new version.</source>
        <translation>让版本 %1 的配置生效？从现在起首单按它决定。这将保存为一个新版本。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>The config was not rolled back</source>
        <translation>配置未回滚</translation>
    </message>
    <message>
        <source>Rolled back to version %1: the config in force is now version %2.</source>
        <translation>已回滚到版本 %1：当前生效的配置为版本 %2。</translation>
    </message>
    <message>
        <source>Save as candidate…</source>
        <translation>保存为候选…</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>Stores the draft as a new version that is not in force: use it in an experiment&apos;s variant, or roll back to it later to make it live.</source>
        <translation>将草稿保存为一个不生效的新版本：可在实验变体中使用，或稍后回滚到它使其生效。</translation>
    </message>
    <message>
        <source>Save the subsidy config as a candidate</source>
        <translation>将补贴配置保存为候选</translation>
    </message>
    <message>
        <source>Why this candidate? (required; it is kept in the history)</source>
        <translation>为什么保存此候选？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>The draft is stored as a new version that is not in force: first orders keep following version %1.</source>
        <translation>草稿将保存为一个不生效的新版本：首单仍按版本 %1 决定。</translation>
    </message>
    <message>
        <source>Save as candidate</source>
        <translation>保存为候选</translation>
    </message>
    <message>
        <source>The candidate was not saved</source>
        <translation>候选未保存</translation>
    </message>
    <message>
        <source>Saved as candidate version %1 — not in force; use it in an experiment or roll back to it to make it live.</source>
        <translation>已保存为候选版本 %1 —— 未生效；可在实验中使用它，或回滚到它使其生效。</translation>
    </message>
    <message>
        <source>Make this candidate live…</source>
        <translation>使此候选生效…</translation>
    </message>
    <message>
        <source>Roll back to this version…</source>
        <translation>回滚到此版本…</translation>
    </message>
    <message>
        <source>Candidate: stored but not in force. An experiment&apos;s variant may use it; roll back to it to make it live.</source>
        <translation>候选：已保存但未生效。实验变体可以使用它；回滚到它即可使其生效。</translation>
    </message>
    <message>
        <source>Nothing differs from version %1, the one in force.</source>
        <translation>与现行版本 %1 没有任何差别。</translation>
    </message>
    <message>
        <source>Making it live would change, against version %1 in force:</source>
        <translation>若使其生效，相对现行版本 %1 将改变：</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ConnectDialog</name>
    <message>
        <source>Use TLS</source>
        <translation>使用 TLS</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Connect to a backend</source>
        <translation>连接到后端</translation>
    </message>
    <message>
        <source>HOST:PORT, e.g. flywheel.example.com:50051</source>
        <translation>HOST:PORT，例如 flywheel.example.com:50051</translation>
    </message>
    <message>
        <source>empty: the system&apos;s trusted CAs</source>
        <translation>留空：使用系统信任的 CA</translation>
    </message>
    <message>
        <source>leave empty to keep the token stored in the keychain</source>
        <translation>留空则保留钥匙串中已存的令牌</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Tokens are kept in the system keychain, never in the settings file. Production profiles open read-only until you unlock editing.</source>
        <translation>令牌保存在系统钥匙串中，绝不写入设置文件。生产环境配置以只读方式打开，直到您解锁编辑。</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>连接配置</translation>
    </message>
    <message>
        <source>CA certificate (PEM)</source>
        <translation>CA 证书（PEM）</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM 证书 (*.pem *.crt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Profile “%1” deleted, with its token.</source>
        <translation>已删除配置“%1”及其令牌。</translation>
    </message>
    <message>
        <source>Profile “%1” saved.</source>
        <translation>已保存配置“%1”。</translation>
    </message>
    <message>
        <source>Profile “%1” saved; storing the token in the system keychain…</source>
        <translation>已保存配置“%1”；正在将令牌存入系统钥匙串…</translation>
    </message>
    <message>
        <source>Profile “%1” saved; its token is in the system keychain.</source>
        <translation>已保存配置“%1”；其令牌已存入系统钥匙串。</translation>
    </message>
    <message>
        <source>There is no system keychain on this computer (%1), so the token was not stored: you will be asked for it each time you connect.</source>
        <translation>本机没有可用的系统钥匙串（%1），因此未保存令牌：每次连接时都会要求您输入。</translation>
    </message>
    <message>
        <source>The system keychain did not store the token: %1. You will be asked for it when you connect.</source>
        <translation>系统钥匙串未能保存令牌：%1。连接时会要求您输入。</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ConnectionController</name>
    <message>
        <source>Token for %1</source>
        <translation>%1 的令牌</translation>
    </message>
    <message>
        <source>Token for “%1” (%2), empty to connect without one:</source>
        <translation>“%1”（%2）的令牌，留空则不带令牌连接：</translation>
    </message>
    <message>
        <source>No token is stored for this profile.</source>
        <translation>此配置没有保存令牌。</translation>
    </message>
    <message>
        <source>There is no system keychain on this computer (%1), so tokens are not stored: type it for this connection.</source>
        <translation>本机没有可用的系统钥匙串（%1），因此不保存令牌：请为本次连接输入令牌。</translation>
    </message>
    <message>
        <source>The system keychain did not give the token: %1.</source>
        <translation>系统钥匙串未能提供令牌：%1。</translation>
    </message>
    <message>
        <source>Connecting to “%1” was cancelled.</source>
        <translation>已取消连接“%1”。</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ConnectionProfile</name>
    <message>
        <source>production</source>
        <translation>生产环境</translation>
    </message>
    <message>
        <source>staging</source>
        <translation>预发布环境</translation>
    </message>
    <message>
        <source>local</source>
        <translation>本地环境</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ConnectionProfileStore</name>
    <message>
        <source>The profile needs a name.</source>
        <translation>配置需要一个名称。</translation>
    </message>
    <message>
        <source>The profile name “%1” starts or ends with a space.</source>
        <translation>配置名称“%1”以空格开头或结尾。</translation>
    </message>
    <message>
        <source>The profile name “%1” contains “:”; --connect would read it as an address.</source>
        <translation>配置名称“%1”包含“:”；--connect 会将其当作地址。</translation>
    </message>
    <message>
        <source>A profile named “%1” already exists.</source>
        <translation>名为“%1”的配置已存在。</translation>
    </message>
    <message>
        <source>The address must be HOST:PORT with a port from 1 to 65535, got “%1”.</source>
        <translation>地址必须是 HOST:PORT，端口为 1 到 65535，但收到的是“%1”。</translation>
    </message>
    <message>
        <source>A CA file only applies with TLS on.</source>
        <translation>CA 文件仅在启用 TLS 时适用。</translation>
    </message>
    <message>
        <source>The CA file “%1” cannot be read: %2.</source>
        <translation>无法读取 CA 文件“%1”：%2。</translation>
    </message>
    <message>
        <source>The CA file “%1” holds no PEM certificate.</source>
        <translation>CA 文件“%1”中没有 PEM 证书。</translation>
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
    <name>flywheel::ui::DiffModel</name>
    <message numerus="yes">
        <source>  ⋯ %n unchanged line(s) not shown ⋯</source>
        <translation>
            <numerusform>  ⋯ 未显示 %n 行未变化的内容 ⋯</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::DifferenceChart</name>
    <message>
        <source>Waiting for results…</source>
        <translation>正在等待结果…</translation>
    </message>
    <message>
        <source>%1 · %2 vs %3</source>
        <translation>%1 · %2 对比 %3</translation>
    </message>
    <message>
        <source>too little data for the %1 yet</source>
        <translation>数据太少，尚无法进行%1</translation>
    </message>
    <message>
        <source>significant</source>
        <translation>显著</translation>
    </message>
    <message>
        <source>not clear</source>
        <translation>不明确</translation>
    </message>
    <message>
        <source>No differences yet: they appear once the control and a variant both have exposures.</source>
        <translation>尚无差异：对照组和某个变体都有曝光后才会显示。</translation>
    </message>
    <message>
        <source>difference against control, 95 % interval (each row to its own scale)</source>
        <translation>相对对照组的差异，95% 区间（每行各用自己的刻度）</translation>
    </message>
    <message>
        <source>%1 · %2 (%3) · %4</source>
        <translation>%1 · %2（%3）· %4</translation>
    </message>
    <message>
        <source>%1, Holm-adjusted</source>
        <translation>%1（Holm 校正）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::EnvironmentBar</name>
    <message>
        <source>Unlock editing…</source>
        <translation>解锁编辑…</translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2（%3）</translation>
    </message>
    <message>
        <source> — editing unlocked for this session</source>
        <translation> — 本次会话已解锁编辑</translation>
    </message>
    <message>
        <source> — read-only</source>
        <translation> — 只读</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::EnvironmentPolicy</name>
    <message>
        <source>Unlock editing on %1 (profile “%2”, %3) for this session? Changes you save go to %1 at once, and every save will still ask.</source>
        <translation>要在本次会话中解锁%1（配置“%2”，%3）的编辑吗？您保存的更改会立即生效于%1，且每次保存仍会再次确认。</translation>
    </message>
    <message>
        <source>“%1” changes %2 (profile “%3”, %4). Go ahead on %2?</source>
        <translation>“%1”将更改%2（配置“%3”，%4）。确定在%2上继续吗？</translation>
    </message>
    <message>
        <source>Unlock editing</source>
        <translation>解锁编辑</translation>
    </message>
    <message>
        <source>Unlock editing on %1</source>
        <translation>解锁%1的编辑</translation>
    </message>
    <message>
        <source>Editing %1 is locked. Unlock it from the bar at the top of the window first.</source>
        <translation>%1的编辑已锁定。请先通过窗口顶部的提示栏解锁。</translation>
    </message>
    <message>
        <source>Go ahead on %1</source>
        <translation>在%1上继续</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>已登录：%1</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2)</source>
        <translation>已登录：%1（%2）</translation>
    </message>
    <message>
        <source>This needs the role %1 (or higher); you are signed in as %2 with the role %3.</source>
        <translation>此操作需要 %1（或更高）角色；您以 %2 登录，角色为 %3。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExperimentClient</name>
    <message>
        <source>The backend closed the results stream.</source>
        <translation>后端关闭了结果数据流。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExperimentEditor</name>
    <message>
        <source>Add variant</source>
        <translation>添加变体</translation>
    </message>
    <message>
        <source>e.g. invite-copy-spring</source>
        <translation>例如 invite-copy-spring</translation>
    </message>
    <message>
        <source>Lower-case letters, digits, “_” and “-”, at most 40; it names the experiment for good.</source>
        <translation>小写字母、数字、“_”和“-”，最多 40 个；它将永久标识该实验。</translation>
    </message>
    <message>
        <source>What operators call it</source>
        <translation>运营人员对它的称呼</translation>
    </message>
    <message>
        <source>e.g. A concrete reward in the copy makes more users share</source>
        <translation>例如：文案中写明具体奖励会让更多用户分享</translation>
    </message>
    <message>
        <source>the key, when left empty</source>
        <translation>留空时使用键</translation>
    </message>
    <message>
        <source>Mixed into the hash that assigns users; a new salt re-randomises everyone. It cannot change once the experiment has started.</source>
        <translation>参与分配用户的哈希；新的盐会让所有人重新随机分组。实验开始后不能更改。</translation>
    </message>
    <message>
        <source>The share of all users who enter the experiment; the others get the default.</source>
        <translation>进入实验的用户占全部用户的比例；其余用户使用默认值。</translation>
    </message>
    <message>
        <source>Shipping a variant is offered only after the experiment ran this long (0 to 720 hours).</source>
        <translation>实验运行满这么久之后才允许发布变体（0 到 720 小时）。</translation>
    </message>
    <message>
        <source>% of users</source>
        <translation>% 的用户</translation>
    </message>
    <message>
        <source>hours before a variant may be shipped</source>
        <translation>小时后才可发布变体</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Hypothesis</source>
        <translation>假设</translation>
    </message>
    <message>
        <source>Surface</source>
        <translation>作用位置</translation>
    </message>
    <message>
        <source>Salt</source>
        <translation>盐</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <source>Minimum run</source>
        <translation>最短运行</translation>
    </message>
    <message>
        <source>Variants (the first one is the control)</source>
        <translation>变体（第一个为对照组）</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>对照组</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>实验组</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Weight (%)</source>
        <translation>权重（%）</translation>
    </message>
    <message>
        <source>Subsidy config version</source>
        <translation>补贴配置版本</translation>
    </message>
    <message>
        <source>Invite copy</source>
        <translation>邀请文案</translation>
    </message>
    <message>
        <source>Variant %1</source>
        <translation>变体 %1</translation>
    </message>
    <message>
        <source>This experiment is running: only its traffic and its variants&apos; weights can change. Key, salt, surface, variants and their payloads are locked because users who were already assigned stay in their variant; changing what a variant means would mix two treatments in one result. To try something else, stop it and start a new experiment.</source>
        <translation>该实验正在运行：只能更改流量和各变体的权重。键、盐、作用位置、变体及其内容已锁定，因为已分配的用户会一直留在各自的变体中；改变某个变体的含义会把两种处理混进同一个结果。若要尝试别的方案，请停止它并新建一个实验。</translation>
    </message>
    <message>
        <source>This experiment is %1 and can no longer be edited; its results stay.</source>
        <translation>该实验状态为%1，不能再编辑；其结果会保留。</translation>
    </message>
    <message>
        <source>A draft: everything but the key can change until it is started.</source>
        <translation>草稿：开始之前，除键以外的内容都可以更改。</translation>
    </message>
    <message>
        <source>the text shown with the invite link</source>
        <translation>随邀请链接显示的文字</translation>
    </message>
    <message>
        <source>The control</source>
        <translation>对照组</translation>
    </message>
    <message>
        <source>%1 needs a key of 1 to 40 lower-case letters, digits, “_” or “-”, not “%2”.</source>
        <translation>%1 的键须为 1 到 40 个小写字母、数字、“_”或“-”，而不是“%2”。</translation>
    </message>
    <message>
        <source>%1 has the key “%2”, which another variant has already.</source>
        <translation>%1 的键“%2”已被另一个变体使用。</translation>
    </message>
    <message>
        <source>%1 needs a weight from 0 to 100 % with at most two decimals, not “%2”.</source>
        <translation>%1 的权重须在 0 到 100% 之间且最多两位小数，而不是“%2”。</translation>
    </message>
    <message>
        <source>%1 needs an invite copy of 1 to %2 characters, not %3.</source>
        <translation>%1 需要 1 到 %2 个字符的邀请文案，而不是 %3 个。</translation>
    </message>
    <message>
        <source>The key must be 1 to 40 lower-case letters, digits, “_” or “-”.</source>
        <translation>键须为 1 到 40 个小写字母、数字、“_”或“-”。</translation>
    </message>
    <message>
        <source>An experiment with the key “%1” exists already.</source>
        <translation>键为“%1”的实验已存在。</translation>
    </message>
    <message>
        <source>The name is required.</source>
        <translation>名称为必填项。</translation>
    </message>
    <message>
        <source>The salt may have at most %1 characters, not %2.</source>
        <translation>盐最多 %1 个字符，而不是 %2 个。</translation>
    </message>
    <message>
        <source>The salt may hold only visible ASCII characters (no spaces).</source>
        <translation>盐只能包含可见的 ASCII 字符（不含空格）。</translation>
    </message>
    <message>
        <source>The traffic must be from 0.01 % to 100 % with at most two decimals, not “%1”.</source>
        <translation>流量须在 0.01% 到 100% 之间且最多两位小数，而不是“%1”。</translation>
    </message>
    <message>
        <source>The minimum run must be from 0 to %1 hours, not “%2”.</source>
        <translation>最短运行时间须在 0 到 %1 小时之间，而不是“%2”。</translation>
    </message>
    <message>
        <source>An experiment needs %1 to %2 variants, not %3.</source>
        <translation>实验需要 %1 到 %2 个变体，而不是 %3 个。</translation>
    </message>
    <message>
        <source>The weights total %1; they must total 100 %.</source>
        <translation>权重合计为 %1；必须合计为 100%。</translation>
    </message>
    <message>
        <source>The weights total 100 %.</source>
        <translation>权重合计为 100%。</translation>
    </message>
    <message>
        <source>The total is known once every weight is a number.</source>
        <translation>每个权重都是数字后才能算出合计。</translation>
    </message>
    <message>
        <source>Loading the stored subsidy config versions…</source>
        <translation>正在加载已保存的补贴配置版本…</translation>
    </message>
    <message>
        <source>A stored subsidy config version: a live one, or a candidate saved on the Subsidies page (not in force until a variant using it ships).</source>
        <translation>已保存的补贴配置版本：生效版本，或在补贴页面保存的候选（在使用它的变体发布之前不生效）。</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>live</source>
        <translation>生效</translation>
    </message>
    <message>
        <source>Choose a version…</source>
        <translation>选择一个版本…</translation>
    </message>
    <message>
        <source>A candidate: stored but not in force; shipping a variant with it makes it live.</source>
        <translation>候选：已保存但未生效；发布使用它的变体会使其生效。</translation>
    </message>
    <message>
        <source>v%1 · not among the versions listed</source>
        <translation>v%1 · 不在所列版本中</translation>
    </message>
    <message>
        <source>The backend has no stored subsidy config versions yet.</source>
        <translation>后端还没有已保存的补贴配置版本。</translation>
    </message>
    <message>
        <source>Live versions and candidates are listed; a candidate is not in force until a variant using it ships.</source>
        <translation>列出了生效版本和候选；候选在使用它的变体发布之前不生效。</translation>
    </message>
    <message>
        <source>The stored subsidy config versions could not be loaded, so none can be newly chosen: %1 The versions already chosen are kept; the page tries again.</source>
        <translation>无法加载已保存的补贴配置版本，因此暂时无法选择新版本：%1 已选择的版本会保留；页面会重试。</translation>
    </message>
    <message>
        <source>%1 needs a subsidy config version: choose one of the stored versions.</source>
        <translation>%1 需要一个补贴配置版本：请从已保存的版本中选择一个。</translation>
    </message>
    <message>
        <source>The stored subsidy config versions could not be loaded again: %1 The list offered is from the last load; the page tries again.</source>
        <translation>无法再次加载已存储的补贴配置版本：%1 当前列出的是上次加载的结果；页面会再次尝试。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExperimentText</name>
    <message>
        <source>%1 pp</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 per 1,000</source>
        <translation>每千次 %1</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1 倍</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Invite copy</source>
        <translation>邀请文案</translation>
    </message>
    <message>
        <source>First-order subsidy</source>
        <translation>首单补贴</translation>
    </message>
    <message>
        <source>(no surface)</source>
        <translation>（无作用位置）</translation>
    </message>
    <message>
        <source>Share rate</source>
        <translation>分享率</translation>
    </message>
    <message>
        <source>Registrations per exposure</source>
        <translation>每次曝光的注册数</translation>
    </message>
    <message>
        <source>Orders per exposure</source>
        <translation>每次曝光的订单数</translation>
    </message>
    <message>
        <source>GMV per exposure</source>
        <translation>每次曝光的 GMV</translation>
    </message>
    <message>
        <source>Cost per exposure</source>
        <translation>每次曝光的成本</translation>
    </message>
    <message>
        <source>ROI per 1,000 exposures</source>
        <translation>每千次曝光 ROI</translation>
    </message>
    <message>
        <source>GMV per unit of cost</source>
        <translation>每单位成本的 GMV</translation>
    </message>
    <message>
        <source>two-proportion z test</source>
        <translation>双比例 z 检验</translation>
    </message>
    <message>
        <source>Welch&apos;s t test</source>
        <translation>Welch t 检验</translation>
    </message>
    <message>
        <source>delta method</source>
        <translation>delta 方法</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>p &lt; %1</source>
        <translation>p &lt; %1</translation>
    </message>
    <message>
        <source>p = %1</source>
        <translation>p = %1</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>fixed-horizon</source>
        <translation>固定样本</translation>
    </message>
    <message>
        <source>always-valid (sequential)</source>
        <translation>始终有效（序贯）</translation>
    </message>
    <message>
        <source>Fixed-horizon 95 % intervals are valid only when read once, at the end planned before the start. Watching them live and stopping at the first “significant” moment finds differences that are not there far more often than 5 % of the time.</source>
        <translation>固定样本的 95% 区间只有在开始前计划好的结束时刻读取一次才有效。实时盯着看并在第一次“显著”时停止，找出并不存在的差异的概率远高于 5%。</translation>
    </message>
    <message>
        <source>Always-valid (sequential) intervals stay valid however often you look: they are wider than fixed-horizon ones early on, so a difference marked significant here may be acted on while the experiment runs.</source>
        <translation>始终有效（序贯）区间无论查看多少次都有效：早期比固定样本区间更宽，因此这里标为显著的差异可以在实验运行期间据以行动。</translation>
    </message>
    <message>
        <source>The experiment was not %1: someone else changed the experiments while you were looking. The page now shows their version; check it and try again.</source>
        <translation>实验未%1：在您查看期间有其他人更改了实验。页面现在显示他们的版本；请核对后重试。</translation>
    </message>
    <message>
        <source>The experiment was not %1: %2</source>
        <translation>实验未%1：%2</translation>
    </message>
    <message>
        <source>The experiment was not %1: the backend refused it: %2</source>
        <translation>实验未%1：后端拒绝了该操作：%2</translation>
    </message>
    <message>
        <source>The experiment was not %1: the backend does not know it (%2). It may have been removed; the list is reloaded.</source>
        <translation>实验未%1：后端不认识该实验（%2）。它可能已被删除；列表已重新加载。</translation>
    </message>
    <message>
        <source>The experiment was not %1. %2</source>
        <translation>实验未%1。%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExperimentsModel</name>
    <message>
        <source>Hypothesis: %1</source>
        <translation>假设：%1</translation>
    </message>
    <message>
        <source>shipped: %1</source>
        <translation>已发布：%1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Surface</source>
        <translation>作用位置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <source>Variants and weights</source>
        <translation>变体与权重</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Running time</source>
        <translation>运行时长</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExperimentsPage</name>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>New experiment</source>
        <translation>新建实验</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Start…</source>
        <translation>开始…</translation>
    </message>
    <message>
        <source>Stop…</source>
        <translation>停止…</translation>
    </message>
    <message>
        <source>Ship variant…</source>
        <translation>发布变体…</translation>
    </message>
    <message>
        <source>Roll back…</source>
        <translation>回滚…</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Loading the experiments…</source>
        <translation>正在加载实验…</translation>
    </message>
    <message>
        <source>The variant whose payload becomes the default for everyone.</source>
        <translation>其内容将成为所有人默认值的变体。</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>This backend does not run experiments: it answered that it has no experiment service. It is probably an older version; experiments appear here once it is updated.</source>
        <translation>该后端不运行实验：它回复说没有实验服务。它可能是旧版本；升级后实验会显示在这里。</translation>
    </message>
    <message>
        <source>No experiments on this backend.</source>
        <translation>该后端上没有实验。</translation>
    </message>
    <message>
        <source>Results appear here once the backend runs experiments.</source>
        <translation>后端运行实验后，结果会显示在这里。</translation>
    </message>
    <message>
        <source>Could not refresh the experiments. %1 The page shows what was last loaded and tries again every %2 s.</source>
        <translation>无法刷新实验。%1 页面显示上次加载的内容，并每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>Could not load the experiments. %1 The page tries again every %2 s.</source>
        <translation>无法加载实验。%1 页面每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>The experiments are not loaded.</source>
        <translation>实验未加载。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message numerus="yes">
        <source>Experiments version %1 · %2 running of %n · saved %3 by %4: “%5”</source>
        <translation>
            <numerusform>实验第 %1 版 · %n 个中 %2 个运行中 · 由 %4 于 %3 保存：“%5”</numerusform>
        </translation>
    </message>
    <message>
        <source>the backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Users outside a running experiment get the invite copy “%1”.</source>
        <translation>不在运行中实验内的用户看到的邀请文案为“%1”。</translation>
    </message>
    <message>
        <source>No experiments yet. “New experiment” starts one: pick a surface (the invite copy or the first-order subsidy), give each variant its payload and weight, save it as a draft, then start it.</source>
        <translation>还没有实验。点击“新建实验”创建一个：选择作用位置（邀请文案或首单补贴），为每个变体填写内容和权重，保存为草稿，然后开始。</translation>
    </message>
    <message>
        <source>No experiments yet.</source>
        <translation>还没有实验。</translation>
    </message>
    <message>
        <source>Select an experiment to see its results.</source>
        <translation>选择一个实验以查看其结果。</translation>
    </message>
    <message>
        <source>“%1” is a draft: it has no results until it is started and users are assigned to its variants.</source>
        <translation>“%1”是草稿：开始并有用户被分配到其变体之前没有结果。</translation>
    </message>
    <message>
        <source>Waiting for the results of “%1”…</source>
        <translation>正在等待“%1”的结果…</translation>
    </message>
    <message>
        <source>This backend does not compute experiment results (it has no experiment service).</source>
        <translation>该后端不计算实验结果（它没有实验服务）。</translation>
    </message>
    <message>
        <source>The backend has no results for “%1”: %2</source>
        <translation>后端没有“%1”的结果：%2</translation>
    </message>
    <message>
        <source>The results stopped updating. %1 Reconnecting in %2 s…</source>
        <translation>结果已停止更新。%1 %2 秒后重新连接…</translation>
    </message>
    <message>
        <source>The results stopped updating. %1</source>
        <translation>结果已停止更新。%1</translation>
    </message>
    <message>
        <source>This backend does not run experiments.</source>
        <translation>该后端不运行实验。</translation>
    </message>
    <message>
        <source>The experiments are not loaded yet.</source>
        <translation>实验尚未加载。</translation>
    </message>
    <message>
        <source>Only a draft can be started.</source>
        <translation>只有草稿可以开始。</translation>
    </message>
    <message>
        <source>Only a running experiment can be stopped.</source>
        <translation>只有运行中的实验可以停止。</translation>
    </message>
    <message>
        <source>Only a shipped experiment can be rolled back (a running one is stopped instead).</source>
        <translation>只有已发布的实验可以回滚（运行中的实验请停止）。</translation>
    </message>
    <message>
        <source>Only a running or stopped experiment can be shipped.</source>
        <translation>只有运行中或已停止的实验可以发布。</translation>
    </message>
    <message>
        <source>Ship is offered once the results are in.</source>
        <translation>结果到达后才可发布。</translation>
    </message>
    <message>
        <source>The backend does not allow shipping yet.</source>
        <translation>后端暂不允许发布。</translation>
    </message>
    <message>
        <source>Cannot ship yet: %1</source>
        <translation>暂不能发布：%1</translation>
    </message>
    <message>
        <source>Change something first.</source>
        <translation>请先做出更改。</translation>
    </message>
    <message>
        <source>A stopped or shipped experiment cannot be edited.</source>
        <translation>已停止或已发布的实验不能编辑。</translation>
    </message>
    <message>
        <source>Nothing to edit: this backend does not run experiments.</source>
        <translation>没有可编辑的内容：该后端不运行实验。</translation>
    </message>
    <message>
        <source>A new experiment, not saved yet. “Save…” keeps it as a draft.</source>
        <translation>新实验，尚未保存。“保存…”会将其存为草稿。</translation>
    </message>
    <message>
        <source>A new experiment: fill in the form and choose “Save…” to keep it as a draft.</source>
        <translation>新实验：填写表单后选择“保存…”将其存为草稿。</translation>
    </message>
    <message>
        <source>Unsaved changes to “%1”, based on version %2 of the experiments.</source>
        <translation>对“%1”的未保存更改，基于实验第 %2 版。</translation>
    </message>
    <message>
        <source>“%1” as saved in version %2.</source>
        <translation>“%1”，与第 %2 版中保存的一致。</translation>
    </message>
    <message>
        <source>Save the new experiment “%1”</source>
        <translation>保存新实验“%1”</translation>
    </message>
    <message>
        <source>Save the experiment “%1”</source>
        <translation>保存实验“%1”</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Start the experiment “%1”</source>
        <translation>开始实验“%1”</translation>
    </message>
    <message>
        <source>Why start it now? (required; it is kept in the history)</source>
        <translation>为什么现在开始？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>From now on %1 of users are assigned to its variants and see their payload; a user&apos;s variant never changes.</source>
        <translation>从现在起，%1 的用户会被分配到其变体并看到对应内容；用户的变体永不改变。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop the experiment “%1”</source>
        <translation>停止实验“%1”</translation>
    </message>
    <message>
        <source>Why stop it? (required; it is kept in the history)</source>
        <translation>为什么停止？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Everyone gets the default again; the results stay, and a variant can still be shipped.</source>
        <translation>所有人重新使用默认值；结果会保留，仍可发布某个变体。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>The subsidy config of variant “%1” becomes the live subsidy config for everyone, and the experiment ends. Roll back restores the config in force before.</source>
        <translation>变体“%1”的补贴配置将成为所有人的生效补贴配置，实验结束。回滚会恢复之前生效的配置。</translation>
    </message>
    <message>
        <source>The invite copy of variant “%1” becomes the default for everyone, and the experiment ends. Roll back restores the copy in force before.</source>
        <translation>变体“%1”的邀请文案将成为所有人的默认文案，实验结束。回滚会恢复之前生效的文案。</translation>
    </message>
    <message>
        <source>Ship variant “%1” of “%2”</source>
        <translation>发布“%2”的变体“%1”</translation>
    </message>
    <message>
        <source>Why ship it? (required; it is kept in the history)</source>
        <translation>为什么发布？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Ship</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Roll back the experiment “%1”</source>
        <translation>回滚实验“%1”</translation>
    </message>
    <message>
        <source>Why roll it back? (required; it is kept in the history)</source>
        <translation>为什么回滚？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>The default in force before variant “%1” was shipped is restored for everyone; the experiment becomes stopped.</source>
        <translation>为所有人恢复发布变体“%1”之前生效的默认值；实验变为已停止。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>The experiments are not loaded yet; nothing was saved.</source>
        <translation>实验尚未加载；未保存任何内容。</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <source>Nothing was saved: nothing was changed.</source>
        <translation>未保存任何内容：没有任何更改。</translation>
    </message>
    <message>
        <source>Saving needs a reason; nothing was saved.</source>
        <translation>保存必须填写原因；未保存任何内容。</translation>
    </message>
    <message>
        <source>Saved “%1” as version %2 of the experiments.</source>
        <translation>已将“%1”保存为实验第 %2 版。</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The experiment was not saved: someone else changed the experiments while you were editing. Your changes are kept; compare with the list, then discard them or save again on the newest version.</source>
        <translation>实验未保存：在您编辑期间有其他人更改了实验。您的更改已保留；请与列表对照，然后放弃更改或在最新版本上重新保存。</translation>
    </message>
    <message>
        <source>Select an experiment first; nothing was %1.</source>
        <translation>请先选择一个实验；未执行%1。</translation>
    </message>
    <message>
        <source>This needs a reason; nothing was %1.</source>
        <translation>此操作需要填写原因；未执行%1。</translation>
    </message>
    <message>
        <source>started</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Started “%1”: users are assigned to its variants from now on (version %2).</source>
        <translation>已开始“%1”：从现在起用户会被分配到其变体（第 %2 版）。</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stopped “%1”: everyone gets the default again; its results stay (version %2).</source>
        <translation>已停止“%1”：所有人重新使用默认值；其结果会保留（第 %2 版）。</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>“%1” has no variant “%2”; nothing was shipped.</source>
        <translation>“%1”没有变体“%2”；未发布任何内容。</translation>
    </message>
    <message>
        <source>Shipped variant “%1” of “%2”: its payload is the default for everyone now (version %3).</source>
        <translation>已发布“%2”的变体“%1”：其内容现在是所有人的默认值（第 %3 版）。</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Rolled back “%1”: the default in force before its ship is restored (version %2).</source>
        <translation>已回滚“%1”：发布前生效的默认值已恢复（第 %2 版）。</translation>
    </message>
    <message>
        <source>Cannot ship yet: it has run %1 h %2 min of the %3 h it must run before shipping.</source>
        <translation>暂不能发布：已运行 %1 小时 %2 分钟，发布前须运行满 %3 小时。</translation>
    </message>
    <message>
        <source>Cannot ship: the sample ratio does not match the weights (χ² p &lt; 0.001), so the split is broken and its results cannot be trusted.</source>
        <translation>不能发布：样本比例与权重不符（χ² p &lt; 0.001），分流已出问题，其结果不可信。</translation>
    </message>
    <message>
        <source>this backend has no subsidy service.</source>
        <translation>该后端没有补贴服务。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExplainTab</name>
    <message>
        <source>Use my draft instead of the live config</source>
        <translation>使用我的草稿而非生效中的配置</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>user id, e.g. 100001</source>
        <translation>用户 ID，例如 100001</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Type a user id and choose “Explain” to see what their first order would get now, and why.</source>
        <translation>输入用户 ID 并选择“解释”，查看其首单现在会得到什么补贴以及原因。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Type a user id: a whole number above 0.</source>
        <translation>请输入用户 ID：大于 0 的整数。</translation>
    </message>
    <message>
        <source>The draft cannot be used: correct the values marked in red on the Config tab first, or explain with the live config.</source>
        <translation>无法使用草稿：请先在“配置”标签页更正标为红色的值，或使用生效中的配置解释。</translation>
    </message>
    <message>
        <source>Asking the backend about user %1…</source>
        <translation>正在向后端查询用户 %1…</translation>
    </message>
    <message>
        <source>There is no user %1.</source>
        <translation>不存在用户 %1。</translation>
    </message>
    <message>
        <source>The backend refused the question: %1</source>
        <translation>后端拒绝了该查询：%1</translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet, so it cannot explain a decision.</source>
        <translation>此后端尚不提供补贴，因此无法解释决策。</translation>
    </message>
    <message>
        <source>No answer. %1</source>
        <translation>没有回应。%1</translation>
    </message>
    <message>
        <source>Subsidy of %1 for the first order</source>
        <translation>首单补贴 %1</translation>
    </message>
    <message>
        <source>No subsidy: %1</source>
        <translation>无补贴：%1</translation>
    </message>
    <message>
        <source>(experiment “%1”, variant “%2”)</source>
        <translation>（实验“%1”，变体“%2”）</translation>
    </message>
    <message>
        <source>Decided with config version %1, campaign “%2”.</source>
        <translation>按配置版本 %1、活动“%2”决定。</translation>
    </message>
    <message>
        <source>Expected orders</source>
        <translation>预期订单数</translation>
    </message>
    <message>
        <source>Base orders + orders per active day × active days + orders per past order × past paid orders.</source>
        <translation>基础订单数 + 每活跃日订单数 × 活跃天数 + 每笔历史订单的订单数 × 已支付订单数。</translation>
    </message>
    <message>
        <source>Average order value</source>
        <translation>平均订单金额</translation>
    </message>
    <message>
        <source>The category&apos;s 30-day average, or this order&apos;s total while the category has too little history.</source>
        <translation>类目 30 天平均值；类目历史不足时为本订单总额。</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>毛利率</translation>
    </message>
    <message>
        <source>The share of an order&apos;s value the shop keeps.</source>
        <translation>店铺从订单金额中留存的比例。</translation>
    </message>
    <message>
        <source>LTV</source>
        <translation>LTV</translation>
    </message>
    <message>
        <source>Expected orders × average order value × margin.</source>
        <translation>预期订单数 × 平均订单金额 × 毛利率。</translation>
    </message>
    <message>
        <source>CAC</source>
        <translation>CAC</translation>
    </message>
    <message>
        <source>Acquisition cost of the user&apos;s channel.</source>
        <translation>用户所在渠道的获客成本。</translation>
    </message>
    <message>
        <source>LTV/CAC</source>
        <translation>LTV/CAC</translation>
    </message>
    <message>
        <source>Compared with the minimum LTV/CAC.</source>
        <translation>与最低 LTV/CAC 比较。</translation>
    </message>
    <message>
        <source>Active days</source>
        <translation>活跃天数</translation>
    </message>
    <message>
        <source>%1 of the last 7</source>
        <translation>最近 7 天中的 %1 天</translation>
    </message>
    <message>
        <source>Days with activity in the last 7.</source>
        <translation>最近 7 天中有活动的天数。</translation>
    </message>
    <message>
        <source>Past paid orders</source>
        <translation>已支付订单数</translation>
    </message>
    <message>
        <source>Paid orders so far.</source>
        <translation>迄今已支付的订单数。</translation>
    </message>
    <message>
        <source>Risk score</source>
        <translation>风险分</translation>
    </message>
    <message>
        <source>%1 of 100</source>
        <translation>%1 / 100</translation>
    </message>
    <message>
        <source>From the profile&apos;s risk tag; 0 when absent.</source>
        <translation>来自画像的风险标签；没有时为 0。</translation>
    </message>
    <message>
        <source>Live P99 of the order path</source>
        <translation>下单链路实时 P99</translation>
    </message>
    <message>
        <source>CreateOrder over the last 60 s; above the latency threshold risky users are down-weighted.</source>
        <translation>最近 60 秒的 CreateOrder；高于延迟阈值时，高风险用户的补贴被降权。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>all categories</source>
        <translation>全部类目</translation>
    </message>
    <message numerus="yes">
        <source>Average %1 over %n paid order(s) in 30 days.</source>
        <translation>
            <numerusform>30 天内 %n 笔已支付订单的平均值 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Order total</source>
        <translation>订单总额</translation>
    </message>
    <message>
        <source>The subsidy is never more than this.</source>
        <translation>补贴绝不超过此金额。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExportJob</name>
    <message>
        <source>Cancelled after %1 of %2 files.</source>
        <translation>已取消：%2 个文件中已完成 %1 个。</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ExpressionEditor</name>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>第 %1 行，第 %2 列：%3</translation>
    </message>
    <message>
        <source>The backend refused the expression: %1</source>
        <translation>后端拒绝了此表达式：%1</translation>
    </message>
    <message>
        <source>Cannot count the matching users now. %1</source>
        <translation>暂时无法统计匹配的用户。%1</translation>
    </message>
    <message>
        <source>%1 of %2 users match (%3 ms)</source>
        <translation>%2 个用户中有 %1 个匹配（%3 毫秒）</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Counting the matching users…</source>
        <translation>正在统计匹配的用户…</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::FunnelChart</name>
    <message>
        <source>Shares</source>
        <translation>分享</translation>
    </message>
    <message>
        <source>Clicks</source>
        <translation>点击</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>First orders</source>
        <translation>首单</translation>
    </message>
    <message>
        <source>Funnel by campaign · all channels, all time</source>
        <translation>按活动的漏斗 · 全部渠道，累计</translation>
    </message>
    <message>
        <source>Waiting for the funnel…</source>
        <translation>正在等待漏斗数据…</translation>
    </message>
    <message>
        <source>No invite activity yet. Each campaign&apos;s shares, clicks, registrations and first orders appear here as soon as users share their invite links.</source>
        <translation>暂无邀请活动。用户分享邀请链接后，各活动的分享、点击、注册和首单数会显示在这里。</translation>
    </message>
    <message numerus="yes">
        <source>Funnel of the %1 campaigns with the most clicks · all channels, all time (%n more in the table)</source>
        <translation>
            <numerusform>点击最多的 %1 个活动的漏斗 · 全部渠道，累计（另有 %n 个见下表）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::FunnelTab</name>
    <message>
        <source>Waiting for the funnel…</source>
        <translation>正在等待漏斗数据…</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Shares</source>
        <translation>分享</translation>
    </message>
    <message>
        <source>Clicks</source>
        <translation>点击</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>First orders</source>
        <translation>首单</translation>
    </message>
    <message>
        <source>Click / share</source>
        <translation>点击 / 分享</translation>
    </message>
    <message>
        <source>Registration / click</source>
        <translation>注册 / 点击</translation>
    </message>
    <message>
        <source>First order / registration</source>
        <translation>首单 / 注册</translation>
    </message>
    <message>
        <source>Clicks on invite links per share, in percent.</source>
        <translation>每次分享带来的邀请链接点击，以百分比表示。</translation>
    </message>
    <message>
        <source>Registrations with an invite per click, in percent.</source>
        <translation>每次点击带来的邀请注册，以百分比表示。</translation>
    </message>
    <message>
        <source>Invited users who paid a first order per registration, in percent.</source>
        <translation>每次注册中完成首单支付的受邀用户，以百分比表示。</translation>
    </message>
    <message>
        <source>One row per campaign and channel appears here, with the conversion from each step to the next, once invite links are shared.</source>
        <translation>分享邀请链接后，这里会按活动和渠道各显示一行，并给出每一步到下一步的转化率。</translation>
    </message>
    <message>
        <source>Live: updated whenever invites are shared, clicked, registered or refused. Last update %1.</source>
        <translation>实时：邀请被分享、点击、注册或拒绝时更新。最近更新 %1。</translation>
    </message>
    <message numerus="yes">
        <source>The funnel is not live: %1 Reconnecting in %n s; the figures below are the last received.</source>
        <translation>
            <numerusform>漏斗未实时更新：%1 %n 秒后重新连接；下面是最近收到的数据。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The funnel is not available: %1 Reconnecting in %n s.</source>
        <translation>
            <numerusform>漏斗数据不可用：%1 %n 秒后重新连接。</numerusform>
        </translation>
    </message>
    <message>
        <source>The funnel appears here once the backend answers.</source>
        <translation>后端响应后，漏斗会显示在这里。</translation>
    </message>
    <message>
        <source>Refusals appear here once the backend answers.</source>
        <translation>后端响应后，拒绝记录会显示在这里。</translation>
    </message>
    <message>
        <source>all channels</source>
        <translation>全部渠道</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::InventoryPage</name>
    <message>
        <source>Receive stock…</source>
        <translation>入库…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Only SKUs low on stock</source>
        <translation>仅显示库存不足的 SKU</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类目</translation>
    </message>
    <message>
        <source>Filter by SKU or name</source>
        <translation>按 SKU 或名称筛选</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类目：</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Select a SKU to see its recent inventory events.</source>
        <translation>选择一个 SKU 以查看其最近的库存事件。</translation>
    </message>
    <message>
        <source>No products</source>
        <translation>没有商品</translation>
    </message>
    <message>
        <source>No SKU is low on stock (low: %1 or fewer available)</source>
        <translation>没有库存不足的 SKU（不足：可用数量不超过 %1）</translation>
    </message>
    <message>
        <source>Low on stock: %1 of %2 SKUs (%3 or fewer available)</source>
        <translation>库存不足：%2 个 SKU 中有 %1 个（可用数量不超过 %3）</translation>
    </message>
    <message>
        <source>Open reservations: %1 · Unpaid orders hold their stock for %2 · As of %3</source>
        <translation>未结预占：%1 · 未付款订单预占库存 %2 · 截至 %3</translation>
    </message>
    <message>
        <source>Could not load the stock levels. %1 The table shows the stock as of %2; the page tries again every %3 s.</source>
        <translation>无法加载库存数量。%1 表格显示的是截至 %2 的库存；页面每 %3 秒重试一次。</translation>
    </message>
    <message>
        <source>Could not load the stock levels. %1 The page tries again every %2 s.</source>
        <translation>无法加载库存数量。%1 页面每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>Waiting for the backend…</source>
        <translation>正在等待后端…</translation>
    </message>
    <message>
        <source>Loading the stock levels…</source>
        <translation>正在加载库存数量…</translation>
    </message>
    <message>
        <source>No stock levels to show: they could not be loaded (see above).</source>
        <translation>没有可显示的库存数量：无法加载（见上文）。</translation>
    </message>
    <message>
        <source>There are no products in the catalogue, so there is no stock to show. Products appear here as soon as the catalogue has them.</source>
        <translation>商品目录中没有商品，因此没有可显示的库存。目录中一有商品就会显示在这里。</translation>
    </message>
    <message>
        <source>No SKU matches the filter.</source>
        <translation>没有符合筛选条件的 SKU。</translation>
    </message>
    <message>
        <source>Loading the events of %1…</source>
        <translation>正在加载 %1 的事件…</translation>
    </message>
    <message>
        <source>Could not load the events of %1. %2</source>
        <translation>无法加载 %1 的事件。%2</translation>
    </message>
    <message>
        <source>%1 (%2) has no inventory events yet.</source>
        <translation>%1（%2）尚无库存事件。</translation>
    </message>
    <message>
        <source>Recent events of %1 (%2), newest first:</source>
        <translation>%1（%2）的最近事件，最新的在前：</translation>
    </message>
    <message>
        <source>Record goods in for %1: adds available stock.</source>
        <translation>为 %1 登记到货：增加可用库存。</translation>
    </message>
    <message>
        <source>Select a SKU first.</source>
        <translation>请先选择一个 SKU。</translation>
    </message>
    <message>
        <source>Receive stock</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>The backend refused it: %1.</source>
        <translation>后端拒绝了该操作：%1。</translation>
    </message>
    <message>
        <source>The stock may have been received all the same: check the SKU&apos;s events before trying again.</source>
        <translation>库存可能仍已入库：重试前请先查看该 SKU 的事件。</translation>
    </message>
    <message>
        <source>How many units of %1 (%2) arrived? Available now: %3.
From 1 to %4 units at a time.</source>
        <translation>%1（%2）到货多少件？当前可用：%3。
每次 1 到 %4 件。</translation>
    </message>
    <message>
        <source>Could not receive %1 × %2. %3</source>
        <translation>无法入库 %1 × %2。%3</translation>
    </message>
    <message>
        <source>Received %1 × %2 (%3): %4 available now.</source>
        <translation>已入库 %1 × %2（%3）：当前可用 %4。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::InventoryText</name>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Received into stock</source>
        <translation>到货入库</translation>
    </message>
    <message>
        <source>Reserved by order %1, expires %2</source>
        <translation>订单 %1 预占，%2 到期</translation>
    </message>
    <message>
        <source>Sold: order %1 paid</source>
        <translation>已售出：订单 %1 已付款</translation>
    </message>
    <message>
        <source>Released: cancelled (order %1)</source>
        <translation>已释放：已取消（订单 %1）</translation>
    </message>
    <message>
        <source>Released: expired (order %1)</source>
        <translation>已释放：已过期（订单 %1）</translation>
    </message>
    <message>
        <source>Released: refunded (order %1)</source>
        <translation>已释放：已退款（订单 %1）</translation>
    </message>
    <message>
        <source>Released (order %1)</source>
        <translation>已释放（订单 %1）</translation>
    </message>
    <message>
        <source>Unknown event (type %1)</source>
        <translation>未知事件（类型 %1）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::InviteTreeTab</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>e.g. 100001</source>
        <translation>例如 100001</translation>
    </message>
    <message>
        <source>Enter a user id to see whom they invited, whom those invited in turn, their orders and the commissions they earn. Expand a user to see further down.</source>
        <translation>输入用户 ID，查看其邀请了谁、被邀请者又邀请了谁，以及他们的订单和所得佣金。展开用户可继续向下查看。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>注册时间</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Paid orders</source>
        <translation>已付订单</translation>
    </message>
    <message>
        <source>Paid total</source>
        <translation>已付金额</translation>
    </message>
    <message>
        <source>Commission earned</source>
        <translation>所得佣金</translation>
    </message>
    <message>
        <source>Invited</source>
        <translation>邀请人数</translation>
    </message>
    <message>
        <source>Commissions this user earns as level-1 or level-2 inviter, in every state but reversed.</source>
        <translation>该用户作为一级或二级邀请人获得的佣金，包括除“已冲正”外的所有状态。</translation>
    </message>
    <message>
        <source>How many users this user invited directly.</source>
        <translation>该用户直接邀请的人数。</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Enter a user id: a positive number such as 100001.</source>
        <translation>请输入用户 ID：一个正整数，例如 100001。</translation>
    </message>
    <message>
        <source>Loading the invite tree of user %1…</source>
        <translation>正在加载用户 %1 的邀请关系树…</translation>
    </message>
    <message>
        <source>There is no user %1 (%2). Check the id: it is the uid of a registered user.</source>
        <translation>没有用户 %1（%2）。请检查 ID：应为已注册用户的 uid。</translation>
    </message>
    <message>
        <source>User %1 cannot be shown: %2.</source>
        <translation>无法显示用户 %1：%2。</translation>
    </message>
    <message>
        <source>Could not load the invite tree of user %1. %2</source>
        <translation>无法加载用户 %1 的邀请关系树。%2</translation>
    </message>
    <message>
        <source>User %1 has not invited anyone yet.</source>
        <translation>用户 %1 尚未邀请任何人。</translation>
    </message>
    <message>
        <source>User %1 invited %2 directly, who in turn invited %3. Expand a user to see further down.</source>
        <translation>用户 %1 直接邀请了 %2，他们又邀请了 %3。展开用户可继续向下查看。</translation>
    </message>
    <message numerus="yes">
        <source>%n user(s)</source>
        <translation>
            <numerusform>%n 位用户</numerusform>
        </translation>
    </message>
    <message>
        <source>User %1 registered without an invite.</source>
        <translation>用户 %1 不是通过邀请注册的。</translation>
    </message>
    <message>
        <source>User %1 was invited by user %2 (&lt;a href=&quot;%2&quot;&gt;show their tree&lt;/a&gt;).</source>
        <translation>用户 %1 由用户 %2 邀请（&lt;a href=&quot;%2&quot;&gt;查看其邀请关系树&lt;/a&gt;）。</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more not shown</source>
        <translation>
            <numerusform>… 另有 %n 位未显示</numerusform>
        </translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Expand to fetch whom this user invited.</source>
        <translation>展开以获取该用户邀请的人。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Could not load whom user %1 invited. %2</source>
        <translation>无法加载用户 %1 邀请的人。%2</translation>
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
    <message>
        <source>Pricing</source>
        <translation>定价</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>人群分组</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>邀请裂变</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Flywheel — %1 — %2 (%3)</source>
        <translation>Flywheel — %1 — %2（%3）</translation>
    </message>
    <message>
        <source>Access tokens</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Subsidies</source>
        <translation>补贴</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Payment channels</source>
        <translation>支付渠道</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>&amp;Export charts…</source>
        <translation>导出图表(&amp;E)…</translation>
    </message>
    <message>
        <source>Every chart of this page as a PNG image and its data as CSV</source>
        <translation>将本页的每张图表导出为 PNG 图片，并将其数据导出为 CSV</translation>
    </message>
    <message>
        <source>&amp;Demo</source>
        <translation>演示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Trigger alert</source>
        <translation>触发告警(&amp;T)</translation>
    </message>
    <message>
        <source>The backend&apos;s business alerts: open the Alerts page</source>
        <translation>后端的业务告警：打开“告警”页面</translation>
    </message>
    <message>
        <source>This page shows no chart to export: open a page (or tab) with charts first.</source>
        <translation>此页面没有可导出的图表：请先打开含有图表的页面（或标签页）。</translation>
    </message>
    <message>
        <source>Export the charts of this page to a folder</source>
        <translation>将本页图表导出到文件夹</translation>
    </message>
    <message>
        <source>Exporting the charts…</source>
        <translation>正在导出图表…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>%1 of the files were written to %2. %3</source>
        <translation>已将 %1 个文件写入 %2。%3</translation>
    </message>
    <message>
        <source>Exported %1 files to %2</source>
        <translation>已将 %1 个文件导出到 %2</translation>
    </message>
    <message>
        <source>Triggered “%1”: it fires within a second and resolves by itself once its window has passed.</source>
        <translation>已触发“%1”：它会在一秒内告警，并在其时间窗口过后自动恢复。</translation>
    </message>
    <message>
        <source>“%1” was not triggered: %2</source>
        <translation>未触发“%1”：%2</translation>
    </message>
    <message>
        <source>Alerts not current</source>
        <translation>告警未更新</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::MessageBar</name>
    <message>
        <source>Dismiss this message</source>
        <translation>关闭此消息</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::MetricChart</name>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::NewTokenDialog</name>
    <message>
        <source>Never expires</source>
        <translation>永不过期</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>新建令牌</translation>
    </message>
    <message>
        <source>e.g. console-alice or storefront-eu</source>
        <translation>例如 console-alice 或 storefront-eu</translation>
    </message>
    <message>
        <source>viewer — reads the admin API</source>
        <translation>viewer — 只读管理 API</translation>
    </message>
    <message>
        <source>operator — also changes programmes, stock, commissions and refunds</source>
        <translation>operator — 还可修改方案、库存、佣金和退款</translation>
    </message>
    <message>
        <source>admin — also manages tokens</source>
        <translation>admin — 还可管理令牌</translation>
    </message>
    <message>
        <source>storefront — the storefront API only (orders, events, invites)</source>
        <translation>storefront — 仅限店面 API（订单、事件、邀请）</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Why is this token made? Kept in the audit log.</source>
        <translation>为什么创建此令牌？原因会记入审计日志。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Expires after:</source>
        <translation>有效期：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Create token</source>
        <translation>创建令牌</translation>
    </message>
    <message>
        <source>The token is shown once, right after it is made; only its digest is kept.</source>
        <translation>令牌只在创建后显示一次；系统只保存其摘要。</translation>
    </message>
    <message>
        <source>Give the token a name: who or what holds it.</source>
        <translation>请为令牌命名：由谁或什么持有它。</translation>
    </message>
    <message>
        <source>The name is at most %1 characters long.</source>
        <translation>名称最多 %1 个字符。</translation>
    </message>
    <message>
        <source>The name may hold only letters A-Z and a-z, digits and . _ - (not “%1”).</source>
        <translation>名称只能包含字母 A-Z 和 a-z、数字以及 . _ -（不能包含“%1”）。</translation>
    </message>
    <message>
        <source>Say why the token is made; the reason is kept in the audit log.</source>
        <translation>请说明创建令牌的原因；原因会记入审计日志。</translation>
    </message>
    <message>
        <source>The reason is at most %1 characters long.</source>
        <translation>原因最多 %1 个字符。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::OrderLookupTab</name>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Order id, e.g. 100234</source>
        <translation>订单 ID，例如 100234</translation>
    </message>
    <message>
        <source>Type an order id to see its payments and refunds.</source>
        <translation>输入订单 ID 以查看其支付和退款。</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>支付</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Provider ids</source>
        <translation>服务商单号</translation>
    </message>
    <message>
        <source>Pay URL</source>
        <translation>支付链接</translation>
    </message>
    <message>
        <source>Why this channel</source>
        <translation>选择此渠道的原因</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Refund numbers</source>
        <translation>退款单号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Payments, newest first</source>
        <translation>支付（最新在前）</translation>
    </message>
    <message>
        <source>Refunds, newest first</source>
        <translation>退款（最新在前）</translation>
    </message>
    <message>
        <source>Type the order id as a whole number such as 100234.</source>
        <translation>请以整数形式输入订单 ID，例如 100234。</translation>
    </message>
    <message>
        <source>Could not look up order %1</source>
        <translation>无法查询订单 %1</translation>
    </message>
    <message>
        <source>%1, waiting for confirmations</source>
        <translation>%1，等待确认</translation>
    </message>
    <message>
        <source>%1, overpaid by %2</source>
        <translation>%1，多付 %2</translation>
    </message>
    <message>
        <source>%1, underpaid by %2</source>
        <translation>%1，少付 %2</translation>
    </message>
    <message>
        <source>ours %1 · theirs %2</source>
        <translation>我方 %1 · 对方 %2</translation>
    </message>
    <message>
        <source>created %1 · updated %2 · expires %3</source>
        <translation>创建于 %1 · 更新于 %2 · 过期于 %3</translation>
    </message>
    <message>
        <source>Order %1 has no payment yet.</source>
        <translation>订单 %1 尚无支付。</translation>
    </message>
    <message>
        <source>Order %1: %2 payments, %3 refunds.</source>
        <translation>订单 %1：%2 笔支付，%3 笔退款。</translation>
    </message>
    <message>
        <source>Look up an order first.</source>
        <translation>请先查询订单。</translation>
    </message>
    <message>
        <source>The order is already refunded or being refunded.</source>
        <translation>该订单已退款或正在退款。</translation>
    </message>
    <message>
        <source>Refunds the order through the channel that took the money.</source>
        <translation>通过收款的渠道为该订单退款。</translation>
    </message>
    <message>
        <source>Refund order %1</source>
        <translation>为订单 %1 退款</translation>
    </message>
    <message>
        <source>Why refund it? (required; it is kept in the audit log)</source>
        <translation>为什么要退款？（必填，将记录在审计日志中）</translation>
    </message>
    <message>
        <source>The money goes back through the channel that took it. The order becomes refunded only when the provider confirms.</source>
        <translation>款项将通过收款的渠道退回。只有在服务商确认后，订单才会变为已退款。</translation>
    </message>
    <message>
        <source>A refund needs a reason; nothing was refunded.</source>
        <translation>退款必须填写原因；未退款。</translation>
    </message>
    <message>
        <source>Order %1 was not refunded</source>
        <translation>订单 %1 未退款</translation>
    </message>
    <message>
        <source>Refund %1 of %2 is confirmed by the provider: order %3 is refunded.</source>
        <translation>退款 %1（%2）已由服务商确认：订单 %3 已退款。</translation>
    </message>
    <message>
        <source>Refund %1 of %2 is pending: order %3 becomes refunded when the provider confirms it.</source>
        <translation>退款 %1（%2）处理中：服务商确认后订单 %3 将变为已退款。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: the backend says your role may not do this (%2).</source>
        <translation>%1：后端表示你的角色无权执行此操作（%2）。</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1。%2</translation>
    </message>
    <message>
        <source>Refund payment…</source>
        <translation>退还该笔支付…</translation>
    </message>
    <message>
        <source>%1, paid the order</source>
        <translation>%1，已支付该订单</translation>
    </message>
    <message>
        <source>%1, %2 to give back</source>
        <translation>%1，应退还 %2</translation>
    </message>
    <message>
        <source>Payment %1 took %2 that did not pay the order: select it and choose Refund payment… to give it back.</source>
        <translation>支付 %1 收取了 %2，但未用于支付该订单：选中它并点击“退还该笔支付…”将其退还。</translation>
    </message>
    <message>
        <source>No payment through a channel paid this order.</source>
        <translation>该订单没有通过支付渠道完成的支付。</translation>
    </message>
    <message>
        <source>Select a payment that took money which did not pay the order, and is not being refunded.</source>
        <translation>请选择一笔收了款但未用于支付该订单、且尚未在退款中的支付。</translation>
    </message>
    <message>
        <source>Gives back the %1 payment %2 took, through its channel; the order does not change.</source>
        <translation>通过原渠道退还支付 %2 收取的 %1；订单状态不变。</translation>
    </message>
    <message>
        <source>Refund payment %1 of order %2</source>
        <translation>退还订单 %2 的支付 %1</translation>
    </message>
    <message>
        <source>Why give it back? (required; it is kept in the audit log)</source>
        <translation>为什么退还？（必填；将记录在审计日志中）</translation>
    </message>
    <message>
        <source>%1 goes back through the channel that took it. The order does not change.</source>
        <translation>%1 将通过收款渠道原路退还。订单状态不变。</translation>
    </message>
    <message>
        <source>Refund payment</source>
        <translation>退还支付</translation>
    </message>
    <message>
        <source>Payment %1 of order %2 was not refunded</source>
        <translation>订单 %2 的支付 %1 未能退款</translation>
    </message>
    <message>
        <source>Refund %1 of %2 is confirmed by the provider: payment %3&apos;s money is back with the buyer.</source>
        <translation>退款 %1（%2）已由支付机构确认：支付 %3 的款项已退回买家。</translation>
    </message>
    <message>
        <source>Refund %1 of %2 is pending: payment %3&apos;s money goes back when the provider confirms it.</source>
        <translation>退款 %1（%2）处理中：支付机构确认后，支付 %3 的款项将退回买家。</translation>
    </message>
    <message>
        <source>%1, %2 given back</source>
        <translation>%1，已退还 %2</translation>
    </message>
    <message>
        <source>%1, %2 being given back</source>
        <translation>%1，正在退还 %2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::PaymentClient</name>
    <message>
        <source>The backend closed the channel statistics stream.</source>
        <translation>后端关闭了渠道统计数据流。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::PaymentText</name>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Crypto (BTCPay)</source>
        <translation>加密货币（BTCPay）</translation>
    </message>
    <message>
        <source>Merchant private key</source>
        <translation>商户私钥</translation>
    </message>
    <message>
        <source>Platform public key</source>
        <translation>平台公钥</translation>
    </message>
    <message>
        <source>APIv3 key</source>
        <translation>APIv3 密钥</translation>
    </message>
    <message>
        <source>App private key</source>
        <translation>应用私钥</translation>
    </message>
    <message>
        <source>Alipay public key</source>
        <translation>支付宝公钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Webhook secret</source>
        <translation>Webhook 密钥</translation>
    </message>
    <message>
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待支付</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>pending: waiting for the provider to confirm</source>
        <translation>处理中：等待服务商确认</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>Bad signature</source>
        <translation>签名无效</translation>
    </message>
    <message>
        <source>Stale (outside the 5-minute window)</source>
        <translation>已过时（超出 5 分钟窗口）</translation>
    </message>
    <message>
        <source>Unknown key serial</source>
        <translation>未知的密钥序列号</translation>
    </message>
    <message>
        <source>Cannot be decrypted</source>
        <translation>无法解密</translation>
    </message>
    <message>
        <source>Amount does not match the order</source>
        <translation>金额与订单不符</translation>
    </message>
    <message>
        <source>Unknown order</source>
        <translation>未知订单</translation>
    </message>
    <message>
        <source>Malformed</source>
        <translation>格式错误</translation>
    </message>
    <message>
        <source>For another merchant</source>
        <translation>属于其他商户</translation>
    </message>
    <message>
        <source>it is disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>it does not take %1</source>
        <translation>不接受 %1</translation>
    </message>
    <message>
        <source>below its minimum %1</source>
        <translation>低于其最低金额 %1</translation>
    </message>
    <message>
        <source>above its maximum %1</source>
        <translation>高于其最高金额 %1</translation>
    </message>
    <message>
        <source>success rate %1 below its floor %2</source>
        <translation>成功率 %1 低于其下限 %2</translation>
    </message>
    <message>
        <source>priority %1</source>
        <translation>优先级 %1</translation>
    </message>
    <message>
        <source>%1 is passed over: %2</source>
        <translation>跳过%1：%2</translation>
    </message>
    <message>
        <source>%1 drops behind: %2</source>
        <translation>%1 排到后面：%2</translation>
    </message>
    <message>
        <source>An order of %1 in %2 has no channel: none is eligible</source>
        <translation>%2 计价、金额 %1 的订单没有可用渠道：没有符合条件的渠道</translation>
    </message>
    <message>
        <source>An order of %1 in %2 goes to %3 although it is below its success floor, because every other channel is passed over</source>
        <translation>%2 计价、金额 %1 的订单将交由%3处理，尽管其成功率低于下限，因为其他渠道均被跳过</translation>
    </message>
    <message>
        <source>An order of %1 in %2 goes to %3 because it is the first eligible by priority</source>
        <translation>%2 计价、金额 %1 的订单将交由%3处理，因为按优先级它是第一个符合条件的渠道</translation>
    </message>
    <message>
        <source>; if it fails, %1</source>
        <translation>；如果失败，则依次尝试 %1</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::PaymentsPage</name>
    <message>
        <source>Payment channels</source>
        <translation>支付渠道</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Loading the payment channels…</source>
        <translation>正在加载支付渠道…</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Routing preview</source>
        <translation>路由预览</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>表现</translation>
    </message>
    <message>
        <source>Refused notifications</source>
        <translation>被拒绝的通知</translation>
    </message>
    <message>
        <source>Order lookup</source>
        <translation>订单查询</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <source>Channels version %1 · saved %2 · source: %3 · reason: “%4”</source>
        <translation>渠道版本 %1 · 保存于 %2 · 来源：%3 · 原因：“%4”</translation>
    </message>
    <message>
        <source>%1 channels, %2 enabled.</source>
        <translation>%1 个渠道，%2 个已启用。</translation>
    </message>
    <message>
        <source>%1 credentials missing: those channels cannot take payments.</source>
        <translation>缺失 %1 个凭据：这些渠道无法收款。</translation>
    </message>
    <message>
        <source>%1 The page asks again every %2 s.</source>
        <translation>%1 页面每 %2 秒重新询问一次。</translation>
    </message>
    <message>
        <source>No payment channels: the backend has none.</source>
        <translation>没有支付渠道：后端不提供。</translation>
    </message>
    <message>
        <source>Could not refresh the payment channels. %1 The page shows what was last loaded and tries again every %2 s.</source>
        <translation>无法刷新支付渠道。%1 页面显示上次加载的内容，并每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>Could not load the payment channels. %1 The page tries again every %2 s.</source>
        <translation>无法加载支付渠道。%1 页面每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>The payment channels are not loaded.</source>
        <translation>支付渠道未加载。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::PerformanceTab</name>
    <message>
        <source>Waiting for the channel figures…</source>
        <translation>正在等待渠道数据…</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Live: figures of %1, updated as payments happen. Notifications delivered twice so far (no effect): %2.</source>
        <translation>实时：%1 的数据，随支付发生而更新。迄今重复送达的通知（无影响）：%2。</translation>
    </message>
    <message>
        <source>The channel figures stopped: %1 Trying again in %2 s; the charts show what was last received.</source>
        <translation>渠道数据已中断：%1 将在 %2 秒后重试；图表显示最后收到的数据。</translation>
    </message>
    <message>
        <source>No payment channel is configured yet.</source>
        <translation>尚未配置任何支付渠道。</translation>
    </message>
    <message>
        <source>%1 · success rate %2 · succeeded %3 · failed %4 · volume %5 · refused notifications %6 · amount mismatches %7</source>
        <translation>%1 · 成功率 %2 · 成功 %3 · 失败 %4 · 金额 %5 · 被拒绝的通知 %6 · 金额不符 %7</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>— (too few payments)</source>
        <translation>—（支付笔数太少）</translation>
    </message>
    <message>
        <source>Demoted: below its success floor, tried after the others</source>
        <translation>已降级：低于成功率下限，排在其他渠道之后尝试</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::PricingPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Pricing rules</source>
        <translation>定价规则</translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation>正在加载规则…</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>Try a cart</source>
        <translation>试算购物车</translation>
    </message>
    <message>
        <source>There are no pricing rules: every order is charged list prices.</source>
        <translation>当前没有定价规则：所有订单均按原价收费。</translation>
    </message>
    <message>
        <source>These rules come from the file %1, which the backend watches: change the file to change them. Saving and rolling back in the console is disabled.</source>
        <translation>这些规则来自后端监视的文件 %1：如需更改规则，请修改该文件。控制台中的保存和回滚已停用。</translation>
    </message>
    <message>
        <source>The last change to the file was refused (%1); the previous rules are still in force: %2</source>
        <translation>文件的最近一次更改被拒绝（%1），之前的规则仍然有效：%2</translation>
    </message>
    <message>
        <source>No rules have been saved yet: orders are charged list prices.</source>
        <translation>尚未保存任何规则：订单按原价收费。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message numerus="yes">
        <source>Version %1 · saved %2 · source: %3 · reason: “%4” · %n rule(s)</source>
        <translation>
            <numerusform>版本 %1 · 保存于 %2 · 来源：%3 · 原因：“%4” · 共 %n 条规则</numerusform>
        </translation>
    </message>
    <message>
        <source>Version %1 is the oldest one listed; the versions before it are not shown.</source>
        <translation>版本 %1 是列表中最早的版本，更早的版本未显示。</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3): %4</source>
        <translation>版本 %1（%2，%3）：%4</translation>
    </message>
    <message>
        <source>No rule changed.</source>
        <translation>没有规则发生变化。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Why roll back to version %1? (required; it is kept in the history)</source>
        <translation>为什么要回滚到版本 %1？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Make the rules of version %1 the rules in force? Orders are priced with them from now on. This is saved as a new version.</source>
        <translation>要让版本 %1 的规则生效吗？从现在起订单将按这些规则计价。此操作将保存为一个新版本。</translation>
    </message>
    <message>
        <source>Rolled back to version %1: the rules in force are now version %2.</source>
        <translation>已回滚到版本 %1：当前生效的规则为版本 %2。</translation>
    </message>
    <message>
        <source>The backend refused: %1</source>
        <translation>后端拒绝了此操作：%1</translation>
    </message>
    <message>
        <source>Someone else changed the rules meanwhile: %1 Refresh and make your change again.</source>
        <translation>在此期间有其他人修改了规则：%1 请刷新后重新进行修改。</translation>
    </message>
    <message>
        <source>The backend found a problem: %1</source>
        <translation>后端发现了问题：%1</translation>
    </message>
    <message>
        <source>Add rule…</source>
        <translation>添加规则…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Edit rule %1</source>
        <translation>编辑规则 %1</translation>
    </message>
    <message>
        <source>Add rule %1</source>
        <translation>添加规则 %1</translation>
    </message>
    <message>
        <source>Delete rule %1</source>
        <translation>删除规则 %1</translation>
    </message>
    <message>
        <source>Enable rule %1</source>
        <translation>启用规则 %1</translation>
    </message>
    <message>
        <source>Disable rule %1</source>
        <translation>停用规则 %1</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Unsaved draft based on version %1 — orders are still priced with the live rules until you save.</source>
        <translation>基于版本 %1 的未保存草稿——保存之前，订单仍按现行规则计价。</translation>
    </message>
    <message>
        <source>Version %1 has been saved since: saving this draft will be refused. Discard it and make your change again.</source>
        <translation>此后已保存了版本 %1：保存此草稿将被拒绝。请放弃草稿后重新修改。</translation>
    </message>
    <message>
        <source>Save the rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Saved as version %1.</source>
        <translation>已保存为版本 %1。</translation>
    </message>
    <message>
        <source>This version is the one in force.</source>
        <translation>此版本即当前生效的版本。</translation>
    </message>
    <message>
        <source>The rules come from a file: change the file instead.</source>
        <translation>规则来自文件：请改为修改该文件。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ProgramEditor</name>
    <message>
        <source>Rewards on registration</source>
        <translation>注册奖励</translation>
    </message>
    <message>
        <source>Commission on invited users&apos; orders</source>
        <translation>受邀用户订单的佣金</translation>
    </message>
    <message>
        <source>Anti-fraud</source>
        <translation>反作弊</translation>
    </message>
    <message>
        <source>Invite tokens</source>
        <translation>邀请令牌</translation>
    </message>
    <message>
        <source>The programme is not loaded yet.</source>
        <translation>方案尚未加载。</translation>
    </message>
    <message>
        <source>%1 Allowed: %2.</source>
        <translation>%1允许范围：%2。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ProgramTab</name>
    <message>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Someone saved the programme after you started editing. This applies the values you changed to their version and keeps the rest of it; look at it in the history first.</source>
        <translation>在你开始编辑之后，有人保存了方案。此操作会把你修改的值应用到他们的版本上，并保留该版本的其余内容；请先在历史版本中查看。</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Select a version to see what changed against the version before it.</source>
        <translation>选择一个版本，查看它相对前一版本的更改。</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the first version</source>
        <translation>第一个版本</translation>
    </message>
    <message>
        <source>Apply my changes to version %1</source>
        <translation>将我的更改应用到版本 %1</translation>
    </message>
    <message>
        <source>The programme is not loaded yet.</source>
        <translation>方案尚未加载。</translation>
    </message>
    <message>
        <source>Version %1 is in force. Change a value and choose “Save…” to make a new version.</source>
        <translation>当前生效的是版本 %1。修改数值后选择“保存…”即可生成新版本。</translation>
    </message>
    <message>
        <source>Unsaved changes based on version %1: invites and commissions follow the saved programme until you save.</source>
        <translation>基于版本 %1 的未保存更改：在你保存之前，邀请和佣金仍按已保存的方案执行。</translation>
    </message>
    <message>
        <source>Version %1 has been saved since, so saving these changes will be refused. Compare in the history, then discard them or apply them to version %1.</source>
        <translation>此后已保存了版本 %1，因此保存这些更改会被拒绝。请在历史版本中比较，然后放弃更改或将其应用到版本 %1。</translation>
    </message>
    <message>
        <source>Save the referral programme</source>
        <translation>保存邀请方案</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>The programme is not loaded yet; nothing was saved.</source>
        <translation>方案尚未加载；未保存任何内容。</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>未保存任何内容：%1</translation>
    </message>
    <message>
        <source>Nothing was saved: the form is the same as version %1.</source>
        <translation>未保存任何内容：表单与版本 %1 相同。</translation>
    </message>
    <message>
        <source>Saving needs a reason; nothing was saved.</source>
        <translation>保存必须填写原因；未保存任何内容。</translation>
    </message>
    <message>
        <source>Saved as version %1: invites and commissions follow it from now on.</source>
        <translation>已保存为版本 %1：从现在起邀请和佣金按此版本执行。</translation>
    </message>
    <message>
        <source>The programme was not saved: someone else saved a newer version while you were editing. Your changes are kept: compare with the newest version in the history, then apply your changes to it and save again, or discard them.</source>
        <translation>方案未保存：在你编辑期间，其他人保存了更新的版本。你的更改已保留：请在历史版本中与最新版本比较，然后将更改应用到该版本并再次保存，或放弃更改。</translation>
    </message>
    <message>
        <source>The programme was not saved: the backend refused “%1”: %2. Your changes are kept: correct the value and save again.</source>
        <translation>方案未保存：后端拒绝了“%1”：%2。你的更改已保留：请修正该值后再次保存。</translation>
    </message>
    <message>
        <source>The programme was not saved: the backend refused it: %1. Your changes are kept: correct them and save again.</source>
        <translation>方案未保存：后端拒绝了它：%1。你的更改已保留：请修正后再次保存。</translation>
    </message>
    <message>
        <source>The programme was not saved. %1 Your changes are kept: save again when the backend is back.</source>
        <translation>方案未保存。%1 你的更改已保留：后端恢复后请再次保存。</translation>
    </message>
    <message>
        <source>Your changes now apply to version %1: its other values are kept.</source>
        <translation>你的更改现已应用到版本 %1：该版本的其他值保持不变。</translation>
    </message>
    <message>
        <source>Version %1 also changed %2; saving replaces that with your value.</source>
        <translation>版本 %1 也修改了%2；保存时将以你的值为准。</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3): “%4”</source>
        <translation>版本 %1（%2，%3）：“%4”</translation>
    </message>
    <message>
        <source>Nothing changed against version %1.</source>
        <translation>相对版本 %1 没有任何更改。</translation>
    </message>
    <message>
        <source>Changed against version %1:</source>
        <translation>相对版本 %1 的更改：</translation>
    </message>
    <message>
        <source>Version %1 is the oldest one listed; the versions before it are not shown. Its values:</source>
        <translation>版本 %1 是列出的最早版本；更早的版本未显示。其取值：</translation>
    </message>
    <message>
        <source>The first version, with these values:</source>
        <translation>第一个版本，取值如下：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReachChart</name>
    <message>
        <source>Push</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>In-app</source>
        <translation>应用内消息</translation>
    </message>
    <message>
        <source>Reach · messages sent by segment and channel</source>
        <translation>触达 · 按人群与渠道发送的消息</translation>
    </message>
    <message>
        <source>Waiting for the backend…</source>
        <translation>正在等待后端…</translation>
    </message>
    <message>
        <source>Reach figures are not available: %1</source>
        <translation>触达数据暂不可用：%1</translation>
    </message>
    <message>
        <source>No messages sent yet. Reach decisions appear here as segments match users.</source>
        <translation>尚未发送任何消息。人群匹配到用户后，触达决策会显示在这里。</translation>
    </message>
    <message>
        <source>messages since the backend started (%1 in all)</source>
        <translation>后端启动以来的消息（共 %1 条）</translation>
    </message>
    <message>
        <source>Sending is simulated: messages are recorded and count against the caps, but nothing leaves the backend.</source>
        <translation>发送为模拟：消息会被记录并计入频次上限，但不会离开后端。</translation>
    </message>
    <message>
        <source>Messages go to the %1.</source>
        <translation>消息发往 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%1 %n message(s) could not be handed over; they still count against the caps. Last refusal: %2</source>
        <translation>
            <numerusform>%1 有 %n 条消息未能交付发送方；它们仍计入频次上限。最近一次拒绝：%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReachPolicyEditor</name>
    <message>
        <source>Reach policy (all segments)</source>
        <translation>触达策略（适用于所有分组）</translation>
    </message>
    <message>
        <source>Empty: every user is a seed user.</source>
        <translation>留空：所有用户都是种子用户。</translation>
    </message>
    <message>
        <source>every user</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <source> %</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Matched users held out of every message, to measure what the messages change.</source>
        <translation>匹配的用户中不发送任何消息的比例，用于衡量消息带来的变化。</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> per second</source>
        <translation> 条/秒</translation>
    </message>
    <message>
        <source>Messages per second across all users and channels; 0 for no limit.</source>
        <translation>所有用户和渠道合计每秒的消息数；0 表示不限。</translation>
    </message>
    <message>
        <source>Holdout</source>
        <translation>留出比例</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>速率上限</translation>
    </message>
    <message>
        <source>Users who are not seed users get the generic strategy instead of the segments.</source>
        <translation>非种子用户适用通用策略，而不是人群分组。</translation>
    </message>
    <message>
        <source>Seed users (the segments apply to them):</source>
        <translation>种子用户（人群分组适用于他们）：</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReasonDialog</name>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 个字符</translation>
    </message>
    <message>
        <source>The reason is %1 characters long; at most %2 are allowed. Shorten it.</source>
        <translation>原因长度为 %1 个字符，最多允许 %2 个。请缩短。</translation>
    </message>
    <message>
        <source>A reason is required: it is kept in the history.</source>
        <translation>必须填写原因：它会保存在历史记录中。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReferralClient</name>
    <message>
        <source>The backend closed the funnel stream.</source>
        <translation>后端关闭了漏斗数据流。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReferralPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>邀请裂变</translation>
    </message>
    <message>
        <source>Loading the referral programme…</source>
        <translation>正在加载邀请方案…</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Invite tree</source>
        <translation>邀请关系树</translation>
    </message>
    <message>
        <source>Commissions</source>
        <translation>佣金</translation>
    </message>
    <message>
        <source>Funnel</source>
        <translation>漏斗</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <source>Programme version %1 · saved %2 · source: %3 · reason: “%4”</source>
        <translation>方案版本 %1 · 保存于 %2 · 来源：%3 · 原因：“%4”</translation>
    </message>
    <message>
        <source>Rewards %1 for the inviter and %2 for the new user · commission %3 (level 1) and %4 (level 2) of invited users&apos; orders · at most %5 invite clicks per IP address per hour</source>
        <translation>奖励：邀请人 %1，新用户 %2 · 佣金：受邀用户订单的 %3（一级）和 %4（二级）· 每个 IP 地址每小时最多 %5 次邀请点击</translation>
    </message>
    <message>
        <source>Could not refresh the referral page. %1 It shows what was last loaded and tries again every %2 s.</source>
        <translation>无法刷新邀请裂变页面。%1 页面显示上次加载的内容，并每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>Could not load the referral programme. %1 The page tries again every %2 s.</source>
        <translation>无法加载邀请方案。%1 页面每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>The referral programme is not loaded.</source>
        <translation>邀请方案未加载。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ReferralText</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Reward for the inviter</source>
        <translation>邀请人奖励</translation>
    </message>
    <message>
        <source>Reward for the new user</source>
        <translation>新用户奖励</translation>
    </message>
    <message>
        <source>Level-1 commission</source>
        <translation>一级佣金</translation>
    </message>
    <message>
        <source>Level-2 commission</source>
        <translation>二级佣金</translation>
    </message>
    <message>
        <source>Invite clicks per IP address</source>
        <translation>每个 IP 地址的邀请点击</translation>
    </message>
    <message>
        <source>Invite clicks per device</source>
        <translation>每台设备的邀请点击</translation>
    </message>
    <message>
        <source>Minimum inviter age</source>
        <translation>邀请人最短注册时长</translation>
    </message>
    <message>
        <source>Inviter active within</source>
        <translation>邀请人活跃期限</translation>
    </message>
    <message>
        <source>Invite token lifetime</source>
        <translation>邀请令牌有效期</translation>
    </message>
    <message>
        <source>Clock leeway</source>
        <translation>时钟容差</translation>
    </message>
    <message>
        <source>Granted to the inviter when an invited user registers.</source>
        <translation>受邀用户注册时发放给邀请人。</translation>
    </message>
    <message>
        <source>Granted to the invited user when they register.</source>
        <translation>受邀用户注册时发放给该用户。</translation>
    </message>
    <message>
        <source>Of an invited user&apos;s orders, owed to their inviter.</source>
        <translation>按受邀用户订单金额计，应付给其邀请人。</translation>
    </message>
    <message>
        <source>Of an invited user&apos;s orders, owed to their inviter&apos;s inviter.</source>
        <translation>按受邀用户订单金额计，应付给其邀请人的邀请人。</translation>
    </message>
    <message>
        <source>Invite clicks from one IP address within any hour.</source>
        <translation>任意一小时内来自同一 IP 地址的邀请点击。</translation>
    </message>
    <message>
        <source>Invite clicks from one device within any 24 hours.</source>
        <translation>任意24小时内来自同一设备的邀请点击。</translation>
    </message>
    <message>
        <source>How long before a click the inviter must have registered.</source>
        <translation>邀请人须在点击前至少注册了这么久。</translation>
    </message>
    <message>
        <source>The inviter must have been active this recently.</source>
        <translation>邀请人须在这段时间内活跃过。</translation>
    </message>
    <message>
        <source>How long a visitor has to register after clicking.</source>
        <translation>访客点击后完成注册的时限。</translation>
    </message>
    <message>
        <source>Clock difference tolerated when checking expiry.</source>
        <translation>检查过期时容许的时钟偏差。</translation>
    </message>
    <message>
        <source>% of the order</source>
        <translation>%（订单金额）</translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>次/小时</translation>
    </message>
    <message>
        <source>per 24 hours</source>
        <translation>次/24小时</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>“%1” is empty.</source>
        <translation>“%1”为空。</translation>
    </message>
    <message>
        <source>“%1” is not an amount: write it like 5 or 5.50, with at most two decimals.</source>
        <translation>“%1”不是金额：请写成 5 或 5.50 这样的形式，最多两位小数。</translation>
    </message>
    <message>
        <source>“%1” is not a percentage: write it like 10 or 2.5, with at most two decimals.</source>
        <translation>“%1”不是百分比：请写成 10 或 2.5 这样的形式，最多两位小数。</translation>
    </message>
    <message>
        <source>“%1” must be a whole number.</source>
        <translation>“%1”必须是整数。</translation>
    </message>
    <message>
        <source>“%1” must be %2, not %3.</source>
        <translation>“%1”必须%2，不能是 %3。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>在 %1 到 %2 之间</translation>
    </message>
    <message>
        <source>“%1” and “%2” together must be at most %3, not %4.</source>
        <translation>“%1”与“%2”之和最多为 %3，不能是 %4。</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>reviewing</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>已冲正</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>IP address over its limit</source>
        <translation>IP 地址超出上限</translation>
    </message>
    <message>
        <source>device over its limit</source>
        <translation>设备超出上限</translation>
    </message>
    <message>
        <source>inviter registered too recently</source>
        <translation>邀请人注册时间过短</translation>
    </message>
    <message>
        <source>inviter inactive</source>
        <translation>邀请人不活跃</translation>
    </message>
    <message>
        <source>self-invite</source>
        <translation>自我邀请</translation>
    </message>
    <message>
        <source>invite cycle</source>
        <translation>循环邀请</translation>
    </message>
    <message>
        <source>invalid token</source>
        <translation>令牌无效</translation>
    </message>
    <message>
        <source>token used twice</source>
        <translation>令牌重复使用</translation>
    </message>
    <message>
        <source>expired token</source>
        <translation>令牌已过期</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RefusalChart</name>
    <message>
        <source>Refused invites per minute, last hour</source>
        <translation>每分钟被拒绝的邀请，最近一小时</translation>
    </message>
    <message>
        <source>Waiting for the funnel…</source>
        <translation>正在等待漏斗数据…</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2 次</translation>
    </message>
    <message>
        <source>No invite has been refused since the programme started.</source>
        <translation>自方案启用以来没有邀请被拒绝。</translation>
    </message>
    <message numerus="yes">
        <source>All time: %n refused invite(s): %1.</source>
        <translation>
            <numerusform>累计：%n 次邀请被拒绝：%1。</numerusform>
        </translation>
    </message>
    <message>
        <source>No invite was refused in the last hour. When the anti-fraud checks refuse invites (an IP address or device over its limit, an inviter too new or inactive, a self-invite, a bad or reused token), the refusals per minute appear here by reason.</source>
        <translation>最近一小时没有邀请被拒绝。当反作弊检查拒绝邀请时（IP 地址或设备超出上限、邀请人注册过短或不活跃、自我邀请、令牌无效或被重复使用），每分钟的拒绝次数会按原因显示在这里。</translation>
    </message>
    <message>
        <source>refusals per minute</source>
        <translation>每分钟拒绝次数</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RefusedTab</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Not loaded yet.</source>
        <translation>尚未加载。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Notification id</source>
        <translation>通知 ID</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Could not load the refused notifications. %1</source>
        <translation>无法加载被拒绝的通知。%1</translation>
    </message>
    <message>
        <source>No notification has been refused.</source>
        <translation>没有通知被拒绝。</translation>
    </message>
    <message>
        <source>%1 refused notifications, newest first. A refusal changes no order; each is counted on its channel.</source>
        <translation>%1 条被拒绝的通知，最新在前。拒绝不会改变任何订单；每条都计入其渠道。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ResultsPanel</name>
    <message>
        <source>Always-valid (sequential)</source>
        <translation>始终有效（序贯）</translation>
    </message>
    <message>
        <source>Fixed-horizon</source>
        <translation>固定样本</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Exposures</source>
        <translation>曝光数</translation>
    </message>
    <message>
        <source>Share of exposures</source>
        <translation>曝光占比</translation>
    </message>
    <message>
        <source>Share rate</source>
        <translation>分享率</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>GMV</source>
        <translation>GMV</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>ROI per 1,000 exposures</source>
        <translation>每千次曝光 ROI</translation>
    </message>
    <message>
        <source>Subsidies plus commissions.</source>
        <translation>补贴加佣金。</translation>
    </message>
    <message>
        <source>(GMV − cost) / exposures × 1,000</source>
        <translation>（GMV − 成本）/ 曝光数 × 1,000</translation>
    </message>
    <message>
        <source>Exposed users who shared at least once.</source>
        <translation>至少分享过一次的曝光用户。</translation>
    </message>
    <message>
        <source>Intervals:</source>
        <translation>区间：</translation>
    </message>
    <message>
        <source>Select an experiment to see its results.</source>
        <translation>选择一个实验以查看其结果。</translation>
    </message>
    <message>
        <source>Shown: %1 95 % intervals. %2</source>
        <translation>当前显示：%1 95% 区间。%2</translation>
    </message>
    <message>
        <source>Running for %1 (since %2) · results as of %3</source>
        <translation>已运行 %1（自 %2 起）· 结果截至 %3</translation>
    </message>
    <message>
        <source>%1 · ran for %2 (from %3) · results as of %4</source>
        <translation>%1 · 运行了 %2（自 %3 起）· 结果截至 %4</translation>
    </message>
    <message>
        <source>No exposures yet: users are counted the first time they are assigned to a variant.</source>
        <translation>尚无曝光：用户第一次被分配到某个变体时才会计入。</translation>
    </message>
    <message>
        <source>Insufficient data: some metrics have too few exposures, or no variation yet, for a test. They are marked so below; wait for more users.</source>
        <translation>数据不足：部分指标的曝光太少或尚无波动，无法检验。下面已标出；请等待更多用户。</translation>
    </message>
    <message>
        <source>Only %1 exposures so far: intervals are wide until more users arrive.</source>
        <translation>目前只有 %1 次曝光：在更多用户到来之前区间会很宽。</translation>
    </message>
    <message>
        <source>(control)</source>
        <translation>（对照组）</translation>
    </message>
    <message>
        <source>Subsidies %1 + commissions %2</source>
        <translation>补贴 %1 + 佣金 %2</translation>
    </message>
    <message>
        <source>Shares</source>
        <translation>分享</translation>
    </message>
    <message>
        <source>Invite links shared by the variant&apos;s users, and by how many of them.</source>
        <translation>该变体用户分享邀请链接的次数，以及分享过的人数。</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 次（%2 人）</translation>
    </message>
    <message>
        <source>Sample ratio mismatch: the variants&apos; exposures do not match their weights (χ² = %1, %2). Users are not being assigned as designed — a bug in assignment or exposure logging, a variant that fails or redirects, or bots — so every number below may be biased and shipping is blocked. Find and fix the cause (check the exposure log per variant and recent deployments), then stop this experiment and create a new one; do not trust these results.</source>
        <translation>样本比例失衡：各变体的曝光数与其权重不符（χ² = %1，%2）。用户没有按设计分配——可能是分配或曝光记录有缺陷、某个变体出错或跳转、或有机器人——因此下面的每个数字都可能有偏差，发布已被阻止。请找出并修复原因（检查各变体的曝光日志和最近的部署），然后停止此实验并新建一个实验；不要相信这些结果。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RoiChart</name>
    <message>
        <source>Waiting for the subsidy figures…</source>
        <translation>正在等待补贴数据…</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Redeemed (paid)</source>
        <translation>已核销（已支付）</translation>
    </message>
    <message>
        <source>Subsidy and GMV per minute · last hour</source>
        <translation>每分钟补贴与 GMV · 最近一小时</translation>
    </message>
    <message>
        <source>Left: subsidy issued and redeemed (paid) per minute, %1. Right, dashed: GMV (paid totals) of the orders redeemed in that minute, %1.</source>
        <translation>左轴：每分钟发放与核销（已支付）的补贴，单位 %1。右轴（虚线）：该分钟核销订单的 GMV（实付总额），单位 %1。</translation>
    </message>
    <message>
        <source>GMV of redeemed orders (right axis)</source>
        <translation>核销订单 GMV（右轴）</translation>
    </message>
    <message>
        <source>Subsidy, %1</source>
        <translation>补贴，%1</translation>
    </message>
    <message>
        <source>GMV, %1</source>
        <translation>GMV，%1</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RoiCompareChart</name>
    <message>
        <source>ROA by campaign · channel · all time</source>
        <translation>各活动 · 渠道的 ROA · 全部时间</translation>
    </message>
    <message>
        <source>Redemption rate by campaign · channel · all time</source>
        <translation>各活动 · 渠道的核销率 · 全部时间</translation>
    </message>
    <message>
        <source>ROA: GMV of the redeemed orders per unit of subsidy redeemed (×), since the backend started counting; the same figure as the table&apos;s ROA column.</source>
        <translation>ROA：每单位已核销补贴带来的已核销订单 GMV（倍），自后端开始统计起；与表格的 ROA 列相同。</translation>
    </message>
    <message>
        <source>Redemption rate: subsidies redeemed (the order was paid) per subsidy issued (%), since the backend started counting; the same figure as the table&apos;s column.</source>
        <translation>核销率：已核销（订单已支付）的补贴占已发放补贴的比例（%），自后端开始统计起；与表格中的该列相同。</translation>
    </message>
    <message>
        <source>Waiting for the subsidy figures…</source>
        <translation>正在等待补贴数据…</translation>
    </message>
    <message>
        <source>No subsidised order paid yet. Each campaign · channel&apos;s ROA appears here once one of its subsidised orders is paid.</source>
        <translation>还没有获得补贴的订单完成支付。某个活动 · 渠道的补贴订单一经支付，其 ROA 就会显示在这里。</translation>
    </message>
    <message>
        <source>No subsidy issued yet. Each campaign · channel&apos;s redemption rate appears here once it issues one.</source>
        <translation>还没有发放补贴。某个活动 · 渠道一旦发放补贴，其核销率就会显示在这里。</translation>
    </message>
    <message>
        <source>ROA</source>
        <translation>ROA</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>核销率</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RoiRateChart</name>
    <message>
        <source>Redemption rate and ROA · cumulative over the last hour</source>
        <translation>核销率与 ROA · 最近一小时累计</translation>
    </message>
    <message>
        <source>Cumulative from the start of the hour shown, so the lines settle. Redemption rate = redeemed ÷ issued (left, %; above 100 % when earlier subsidies are paid). ROA = GMV of the redeemed orders ÷ subsidy redeemed (right, dashed, ×).</source>
        <translation>从所示一小时的起点开始累计，因此曲线会趋于平稳。核销率 = 已核销 ÷ 已发放（左轴，%；更早发放的补贴在此期间被支付时会超过 100 %）。ROA = 已核销订单的 GMV ÷ 已核销补贴（右轴，虚线，倍）。</translation>
    </message>
    <message>
        <source>Waiting for the subsidy figures…</source>
        <translation>正在等待补贴数据…</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>核销率</translation>
    </message>
    <message>
        <source>ROA (right axis)</source>
        <translation>ROA（右轴）</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>Rate, %</source>
        <translation>比率，%</translation>
    </message>
    <message>
        <source>ROA, ×</source>
        <translation>ROA，倍</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RoiTab</name>
    <message>
        <source>%1 of %2 (%3)</source>
        <translation>%1 / %2（%3）</translation>
    </message>
    <message>
        <source>Waiting for the subsidy figures…</source>
        <translation>正在等待补贴数据…</translation>
    </message>
    <message>
        <source>Campaign budgets</source>
        <translation>活动预算</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Total budget</source>
        <translation>总预算</translation>
    </message>
    <message>
        <source>Today (UTC)</source>
        <translation>今日（UTC）</translation>
    </message>
    <message>
        <source>No campaign budget yet: budgets are part of the subsidy config.</source>
        <translation>尚无活动预算：预算属于补贴配置的一部分。</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Issued amount</source>
        <translation>发放金额</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>已核销</translation>
    </message>
    <message>
        <source>Redeemed amount</source>
        <translation>核销金额</translation>
    </message>
    <message>
        <source>Given back</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>核销率</translation>
    </message>
    <message>
        <source>GMV</source>
        <translation>GMV</translation>
    </message>
    <message>
        <source>ROA</source>
        <translation>ROA</translation>
    </message>
    <message>
        <source>Issue → redeem p95</source>
        <translation>发放 → 核销 p95</translation>
    </message>
    <message>
        <source>Redeemed (the subsidised order was paid) per issued subsidy.</source>
        <translation>每笔发放的补贴中被核销（补贴订单已支付）的比例。</translation>
    </message>
    <message>
        <source>Return on subsidy: GMV of the redeemed orders per unit of subsidy redeemed.</source>
        <translation>补贴回报：每单位已核销补贴带来的已核销订单 GMV。</translation>
    </message>
    <message>
        <source>95th percentile of the time from the order&apos;s creation to its payment.</source>
        <translation>从订单创建到支付所用时间的第 95 百分位。</translation>
    </message>
    <message>
        <source>Orders cancelled or expired unpaid: the subsidy went back to the budget.</source>
        <translation>已取消或未支付过期的订单：补贴已退回预算。</translation>
    </message>
    <message>
        <source>Live: updated whenever a subsidy is issued, redeemed or given back. Config version %1. Last update %2.</source>
        <translation>实时：补贴发放、核销或退回时更新。配置版本 %1。最近更新 %2。</translation>
    </message>
    <message numerus="yes">
        <source>This backend does not offer subsidies yet, so there are no budgets or ROI to show. The page asks again in %n s.</source>
        <translation>
            <numerusform>此后端尚不提供补贴，因此没有预算或 ROI 可显示。页面将在 %n 秒后再次询问。</numerusform>
        </translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet.</source>
        <translation>此后端尚不提供补贴。</translation>
    </message>
    <message numerus="yes">
        <source>The subsidy figures are not live: %1 Reconnecting in %n s; the figures below are the last received.</source>
        <translation>
            <numerusform>补贴数据未实时更新：%1 将在 %n 秒后重新连接；下方为最近收到的数据。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The subsidy figures are not available: %1 Reconnecting in %n s.</source>
        <translation>
            <numerusform>补贴数据不可用：%1 将在 %n 秒后重新连接。</numerusform>
        </translation>
    </message>
    <message>
        <source>The figures appear here once the backend answers.</source>
        <translation>后端响应后这里会显示数据。</translation>
    </message>
    <message>
        <source>Order path live P99: %1 · risky users are being down-weighted now.</source>
        <translation>下单链路实时 P99：%1 · 高风险用户的补贴正被降权。</translation>
    </message>
    <message>
        <source>Order path live P99: %1 · no down-weighting (the P99 is within the latency threshold).</source>
        <translation>下单链路实时 P99：%1 · 未降权（P99 在延迟阈值之内）。</translation>
    </message>
    <message>
        <source>No first-order decision yet.</source>
        <translation>尚无首单决策。</translation>
    </message>
    <message>
        <source>First-order decisions so far: %1</source>
        <translation>迄今的首单决策：%1</translation>
    </message>
    <message>
        <source>Total budget of %1</source>
        <translation>%1 的总预算</translation>
    </message>
    <message>
        <source>Today&apos;s budget of %1</source>
        <translation>%1 的今日预算</translation>
    </message>
    <message>
        <source>used up: no more subsidies from this campaign</source>
        <translation>已用完：此活动不再发放补贴</translation>
    </message>
    <message>
        <source>used up for today: subsidies resume tomorrow (UTC)</source>
        <translation>今日已用完：补贴将于明天（UTC）恢复</translation>
    </message>
    <message>
        <source>at 90 %</source>
        <translation>已达 90 %</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Campaign and channel charted</source>
        <translation>图表所示的活动与渠道</translation>
    </message>
    <message>
        <source>The campaign and acquisition channel the two charts of the last hour show.</source>
        <translation>最近一小时的两张图表所显示的活动与获客渠道。</translation>
    </message>
    <message>
        <source>All campaigns and channels</source>
        <translation>全部活动与渠道</translation>
    </message>
    <message>
        <source>Last hour of:</source>
        <translation>最近一小时：</translation>
    </message>
    <message>
        <source>Other campaigns and channels (beyond the ones charted one by one)</source>
        <translation>其他活动与渠道（超出逐一绘制的数量）</translation>
    </message>
    <message>
        <source>No subsidy issued or redeemed in the last hour. The subsidy issued and redeemed per minute, and the GMV of the redeemed orders, appear here as soon as first orders are subsidised.</source>
        <translation>最近一小时没有发放或核销补贴。首单获得补贴后，这里会显示每分钟发放与核销的补贴以及核销订单的 GMV。</translation>
    </message>
    <message>
        <source>Nothing issued or redeemed in the last hour. The redemption rate appears once subsidies are issued, the ROA once a subsidised order is paid.</source>
        <translation>最近一小时没有发放或核销。发放补贴后会显示核销率，补贴订单支付后会显示 ROA。</translation>
    </message>
    <message>
        <source>Nothing issued or redeemed for %1 in the last hour.</source>
        <translation>%1 最近一小时没有发放或核销。</translation>
    </message>
    <message>
        <source>No subsidy issued or redeemed for %1 in the last hour. Its minutes appear here with its next subsidy; its all-time figures are in the table and the bars below.</source>
        <translation>%1 最近一小时没有发放或核销补贴。下一次补贴时这里会显示它的每分钟数据；它的全部时间数据见下方的条形图和表格。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RoutePreviewTab</name>
    <message>
        <source>Where would it go?</source>
        <translation>会路由到哪里？</translation>
    </message>
    <message>
        <source>e.g. 1280.00</source>
        <translation>例如 1280.00</translation>
    </message>
    <message>
        <source>Type an amount and a currency: the preview uses the channels as edited on the Channels tab, saved or not.</source>
        <translation>输入金额和币种：预览使用“渠道”页签中正在编辑的渠道，无论是否已保存。</translation>
    </message>
    <message>
        <source>Channel (in the order tried)</source>
        <translation>渠道（按尝试顺序）</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合条件</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Recent success rate</source>
        <translation>近期成功率</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>费率</translation>
    </message>
    <message>
        <source>An order of</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>in</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>Type the amount as a number such as 1280.00.</source>
        <translation>请以数字形式输入金额，例如 1280.00。</translation>
    </message>
    <message>
        <source>Type the currency as a three-letter code such as CNY.</source>
        <translation>请以三字母代码输入币种，例如 CNY。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>too few payments</source>
        <translation>支付笔数太少</translation>
    </message>
    <message>
        <source>The backend refused to preview: %1</source>
        <translation>后端拒绝预览：%1</translation>
    </message>
    <message>
        <source>No preview. %1</source>
        <translation>无法预览。%1</translation>
    </message>
    <message>
        <source>The channels were edited since: preview again to see where an order goes now.</source>
        <translation>此后渠道已被编辑：请重新预览，查看订单现在的去向。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RuleDialog</name>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Combines with other rules</source>
        <translation>可与其他规则叠加</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Add a rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Edit rule %1</source>
        <translation>编辑规则 %1</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>e.g. ELE-1001, ELE-1002; empty for all</source>
        <translation>例如 ELE-1001, ELE-1002；留空表示全部</translation>
    </message>
    <message>
        <source>e.g. Electronics; empty for all</source>
        <translation>例如 Electronics；留空表示全部</translation>
    </message>
    <message>
        <source>empty for no cap</source>
        <translation>留空表示不设上限</translation>
    </message>
    <message>
        <source>spend:off, e.g. 300:30, 500:60</source>
        <translation>消费:减免，例如 300:30, 500:60</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>ID：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Priority (higher first):</source>
        <translation>优先级（数值高者优先）：</translation>
    </message>
    <message>
        <source>Exclusion group:</source>
        <translation>互斥组：</translation>
    </message>
    <message>
        <source>When:</source>
        <translation>时间：</translation>
    </message>
    <message>
        <source>Orders per user:</source>
        <translation>每用户订单数：</translation>
    </message>
    <message>
        <source>SKUs:</source>
        <translation>SKU：</translation>
    </message>
    <message>
        <source>Categories:</source>
        <translation>品类：</translation>
    </message>
    <message>
        <source>Unit price (¥):</source>
        <translation>单价（¥）：</translation>
    </message>
    <message>
        <source>Pay % of list price:</source>
        <translation>按原价的百分比付款：</translation>
    </message>
    <message>
        <source>Segment:</source>
        <translation>人群：</translation>
    </message>
    <message>
        <source>Percent off:</source>
        <translation>折扣百分比：</translation>
    </message>
    <message>
        <source>At most off (¥):</source>
        <translation>最多减免（¥）：</translation>
    </message>
    <message>
        <source>Tiers:</source>
        <translation>档位：</translation>
    </message>
    <message>
        <source>Enter an amount such as 149.90.</source>
        <translation>请输入金额，例如 149.90。</translation>
    </message>
    <message>
        <source>Enter a percentage such as 85 or 87.5.</source>
        <translation>请输入百分比，例如 85 或 87.5。</translation>
    </message>
    <message>
        <source>Enter a percentage such as 15 or 12.5.</source>
        <translation>请输入百分比，例如 15 或 12.5。</translation>
    </message>
    <message>
        <source>Enter an amount such as 50, or leave it empty.</source>
        <translation>请输入金额（例如 50），或留空。</translation>
    </message>
    <message>
        <source>Write each tier as spend:off, e.g. 300:30.</source>
        <translation>每个档位请写成 消费:减免，例如 300:30。</translation>
    </message>
    <message>
        <source>a segment id from the Segments page, e.g. new_payers</source>
        <translation>“人群分组”页面上的人群 ID，例如 new_payers</translation>
    </message>
    <message>
        <source>There is no segment “%1” in the current segment set: nobody gets this price until one is added on the Segments page.</source>
        <translation>当前人群分组中没有人群“%1”：在“人群分组”页面添加之前，没有用户能享受这个价格。</translation>
    </message>
    <message>
        <source>Segment “%1” is disabled: nobody gets this price while it stays disabled.</source>
        <translation>人群“%1”已停用：停用期间没有用户能享受这个价格。</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>Checking the rule with the backend…</source>
        <translation>正在请后端检查这条规则…</translation>
    </message>
    <message>
        <source>The backend cannot be reached (%1), so the rule cannot be checked and OK stays disabled. Check the connection, then try again.</source>
        <translation>无法连接后端（%1），因此无法检查这条规则，“确定”按钮保持不可用。请检查连接后重试。</translation>
    </message>
    <message>
        <source>The backend could not check the rule: %1. OK stays disabled.</source>
        <translation>后端未能检查这条规则：%1。“确定”按钮保持不可用。</translation>
    </message>
    <message numerus="yes">
        <source>This rule has %n problem(s); see the fields above.</source>
        <translation>
            <numerusform>这条规则有 %n 个问题，详见上方各字段。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RuleText</name>
    <message>
        <source>SKU price</source>
        <translation>单品特价</translation>
    </message>
    <message>
        <source>Category price</source>
        <translation>品类价格</translation>
    </message>
    <message>
        <source>Segment price</source>
        <translation>人群价格</translation>
    </message>
    <message>
        <source>Percent off</source>
        <translation>百分比折扣</translation>
    </message>
    <message>
        <source>Threshold reduction</source>
        <translation>满减</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>active</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>待生效</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>(no SKU)</source>
        <translation>（无 SKU）</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 售价 %2</translation>
    </message>
    <message>
        <source>pay %1 of the list price</source>
        <translation>按原价的 %1 付款</translation>
    </message>
    <message>
        <source>segment “%1” pays %2 of the list price</source>
        <translation>人群“%1”按原价的 %2 付款</translation>
    </message>
    <message>
        <source>%1 off</source>
        <translation>减 %1</translation>
    </message>
    <message>
        <source>, at most %1</source>
        <translation>，最多减 %1</translation>
    </message>
    <message>
        <source>spend %1 get %2 off</source>
        <translation>满 %1 减 %2</translation>
    </message>
    <message>
        <source>(no tiers)</source>
        <translation>（无档位）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>(unknown rule type)</source>
        <translation>（未知规则类型）</translation>
    </message>
    <message>
        <source>SKUs: %1</source>
        <translation>SKU：%1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>categories: %1</source>
        <translation>品类：%1</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>全部商品</translation>
    </message>
    <message>
        <source>from %1 until %2</source>
        <translation>%1 起至 %2</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>%1 起</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>always</source>
        <translation>始终</translation>
    </message>
    <message>
        <source>%1 → %2 off</source>
        <translation>满 %1 减 %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>stackable</source>
        <translation>可叠加</translation>
    </message>
    <message>
        <source>exclusion group</source>
        <translation>互斥组</translation>
    </message>
    <message>
        <source>starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>ends</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>per-user limit</source>
        <translation>每用户限用次数</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>percent of list</source>
        <translation>原价百分比</translation>
    </message>
    <message>
        <source>segment</source>
        <translation>人群</translation>
    </message>
    <message>
        <source>percent off</source>
        <translation>折扣百分比</translation>
    </message>
    <message>
        <source>maximum off</source>
        <translation>最高优惠</translation>
    </message>
    <message>
        <source>tiers</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Added %1 “%2”: %3 (%4), scope %5</source>
        <translation>新增 %1“%2”：%3（%4），范围：%5</translation>
    </message>
    <message>
        <source>Changed %1: %2 %3 → %4</source>
        <translation>修改 %1：%2 %3 → %4</translation>
    </message>
    <message>
        <source>Removed %1 “%2”: %3</source>
        <translation>删除 %1“%2”：%3</translation>
    </message>
    <message>
        <source>unsaved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::RulesModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentEditor</name>
    <message>
        <source>Segment</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Lowercase letters, digits, “_” and “-”; unique in the set. Messages and statistics name the segment by it.</source>
        <translation>小写字母、数字、“_”和“-”；在本组中唯一。消息和统计都用它来指代此分组。</translation>
    </message>
    <message>
        <source>A user in several segments is reached for the one with the highest priority.</source>
        <translation>用户属于多个分组时，按优先级最高的分组触达。</translation>
    </message>
    <message>
        <source>A disabled segment is kept but never matches.</source>
        <translation>停用的分组会保留，但不会匹配任何用户。</translation>
    </message>
    <message>
        <source>At most this many messages per user and channel in the period.</source>
        <translation>每个用户在每个渠道上，每个周期内最多发送这么多条消息。</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>per week</source>
        <translation>每周</translation>
    </message>
    <message>
        <source>Drag to reorder: the first channel that is not capped is used. Untick a channel to never use it for this segment.</source>
        <translation>拖动以调整顺序：使用第一个未达频次上限的渠道。取消勾选的渠道不会用于此分组。</translation>
    </message>
    <message>
        <source>Type who belongs to the segment, e.g. pay_count &gt;= 1 &amp;&amp; days_since_reg &lt;= 3. Ctrl+Space completes feature and tag names.</source>
        <translation>输入哪些用户属于此分组，例如 pay_count &gt;= 1 &amp;&amp; days_since_reg &lt;= 3。按 Ctrl+空格 补全特征名和标签名。</translation>
    </message>
    <message>
        <source>pay_count &gt;= 1 &amp;&amp; days_since_reg &lt;= 3</source>
        <translation>pay_count &gt;= 1 &amp;&amp; days_since_reg &lt;= 3</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Frequency cap</source>
        <translation>频次上限</translation>
    </message>
    <message>
        <source>Channels, in order</source>
        <translation>渠道（按顺序）</translation>
    </message>
    <message>
        <source>Who is in the segment (expression):</source>
        <translation>哪些用户属于此分组（表达式）：</translation>
    </message>
    <message>
        <source>Segment %1</source>
        <translation>分组 %1</translation>
    </message>
    <message>
        <source>Segment (select one in the list, or add a new one)</source>
        <translation>分组（在列表中选择一个，或新建一个）</translation>
    </message>
    <message>
        <source>The id must be 1–64 characters of a–z, 0–9, “_” and “-”.</source>
        <translation>ID 必须由 1–64 个 a–z、0–9、“_”和“-”字符组成。</translation>
    </message>
    <message>
        <source>Another segment already has this id.</source>
        <translation>已有其他分组使用此 ID。</translation>
    </message>
    <message>
        <source>The segment needs a name.</source>
        <translation>分组需要一个名称。</translation>
    </message>
    <message>
        <source>Tick at least one channel.</source>
        <translation>请至少勾选一个渠道。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentHistoryTab</name>
    <message>
        <source>This version is the one in force.</source>
        <translation>此版本即当前生效的版本。</translation>
    </message>
    <message>
        <source>Version %1 is the oldest one listed; the versions before it are not shown.</source>
        <translation>版本 %1 是列出的最早版本；更早的版本未显示。</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3): %4</source>
        <translation>版本 %1（%2，%3）：%4</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有任何更改。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Why roll back to version %1? (required; it is kept in the history)</source>
        <translation>为什么要回滚到版本 %1？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Make the segments and reach policy of version %1 the ones in force? Users are reached by them from now on. This is saved as a new version.</source>
        <translation>让版本 %1 的人群分组和触达策略生效吗？从现在起将按它们触达用户。此操作会保存为一个新版本。</translation>
    </message>
    <message>
        <source>Nothing was rolled back</source>
        <translation>未回滚任何内容</translation>
    </message>
    <message>
        <source>Rolled back to version %1: the segments in force are now version %2.</source>
        <translation>已回滚到版本 %1：当前生效的人群分组为版本 %2。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentText</name>
    <message>
        <source>push</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>in-app</source>
        <translation>应用内消息</translation>
    </message>
    <message>
        <source>unknown channel</source>
        <translation>未知渠道</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 per week</source>
        <translation>每周 %1 次</translation>
    </message>
    <message>
        <source>%1 per day</source>
        <translation>每天 %1 次</translation>
    </message>
    <message>
        <source>Would be reached</source>
        <translation>将会触达</translation>
    </message>
    <message>
        <source>Not a seed user</source>
        <translation>非种子用户</translation>
    </message>
    <message>
        <source>No segment matches</source>
        <translation>没有匹配的分组</translation>
    </message>
    <message>
        <source>Frequency cap reached</source>
        <translation>已达频次上限</translation>
    </message>
    <message>
        <source>Rate limit reached</source>
        <translation>已达速率上限</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>留出对照组</translation>
    </message>
    <message>
        <source>Unknown outcome</source>
        <translation>未知结果</translation>
    </message>
    <message>
        <source>A message for segment %1 would be sent now by %2.</source>
        <translation>现在会通过%2为分组 %1 发送一条消息。</translation>
    </message>
    <message>
        <source>The seed-user expression does not match this user, so the generic strategy applies instead of the segments.</source>
        <translation>种子用户表达式不匹配此用户，因此适用通用策略，而不是人群分组。</translation>
    </message>
    <message>
        <source>This is a seed user, but no enabled segment matches them: nothing would be sent.</source>
        <translation>这是种子用户，但没有已启用的分组匹配：不会发送任何消息。</translation>
    </message>
    <message>
        <source>Segment %1 matches, but every one of its channels has reached its frequency cap for this user: nothing would be sent.</source>
        <translation>分组 %1 匹配，但它的每个渠道对此用户都已达到频次上限：不会发送任何消息。</translation>
    </message>
    <message>
        <source>Segment %1 matches, but the messages-per-second limit is reached right now: try again later.</source>
        <translation>分组 %1 匹配，但目前已达到每秒消息数上限：请稍后再试。</translation>
    </message>
    <message>
        <source>Segment %1 matches, but this user is in the holdout group that is deliberately never messaged (to measure the effect).</source>
        <translation>分组 %1 匹配，但此用户属于留出对照组，有意不发送任何消息（用于衡量效果）。</translation>
    </message>
    <message>
        <source>The backend gave no decision.</source>
        <translation>后端没有给出决策。</translation>
    </message>
    <message>
        <source>every user</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Added %1 %2: %3; priority %4, %5, by %6, %7</source>
        <translation>新增 %1 %2：%3；优先级 %4，%5，渠道 %6，%7</translation>
    </message>
    <message>
        <source>name %1 → %2</source>
        <translation>名称 %1 → %2</translation>
    </message>
    <message>
        <source>expression %1 → %2</source>
        <translation>表达式 %1 → %2</translation>
    </message>
    <message>
        <source>priority %1 → %2</source>
        <translation>优先级 %1 → %2</translation>
    </message>
    <message>
        <source>frequency cap %1 → %2</source>
        <translation>频次上限 %1 → %2</translation>
    </message>
    <message>
        <source>channels “%1” → “%2”</source>
        <translation>渠道“%1” → “%2”</translation>
    </message>
    <message>
        <source>Changed %1: %2</source>
        <translation>修改 %1：%2</translation>
    </message>
    <message>
        <source>Removed %1 %2</source>
        <translation>删除 %1 %2</translation>
    </message>
    <message>
        <source>Seed users: %1 → %2</source>
        <translation>种子用户：%1 → %2</translation>
    </message>
    <message>
        <source>Holdout: %1 % → %2 %</source>
        <translation>留出比例：%1% → %2%</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>%1 messages per second</source>
        <translation>每秒 %1 条消息</translation>
    </message>
    <message>
        <source>Rate limit: %1 → %2</source>
        <translation>速率上限：%1 → %2</translation>
    </message>
    <message>
        <source>%1: someone else saved the segments while you were editing (%2). Your draft is kept: compare in History, then discard it or base it on the new version and save again.</source>
        <translation>%1：在你编辑期间，有人保存了人群分组（%2）。你的草稿已保留：请在“历史版本”中比较，然后放弃草稿，或将其改为基于新版本后再次保存。</translation>
    </message>
    <message>
        <source>%1: the backend found a problem: %2. Your draft is kept: correct it and save again.</source>
        <translation>%1：后端发现问题：%2。你的草稿已保留：请修改后再次保存。</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1。%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentsModel</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>not counted yet</source>
        <translation>尚未统计</translation>
    </message>
    <message>
        <source>Users matching now (counted %1)</source>
        <translation>当前匹配的用户数（统计于 %1）</translation>
    </message>
    <message>
        <source>The size is counted once the set is saved.</source>
        <translation>保存后才会统计人数。</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>表达式</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Frequency cap</source>
        <translation>频次上限</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Users now</source>
        <translation>当前人数</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentsPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Segments and reach</source>
        <translation>人群分组与触达</translation>
    </message>
    <message>
        <source>Loading the segments…</source>
        <translation>正在加载人群分组…</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>人群分组</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>User lookup</source>
        <translation>用户查询</translation>
    </message>
    <message>
        <source>Could not refresh the segments. %1 The page shows version %2 as last loaded and tries again every %3 s.</source>
        <translation>无法刷新人群分组。%1 页面显示的是上次加载的版本 %2，每 %3 秒重试一次。</translation>
    </message>
    <message>
        <source>Could not load the segments. %1 The page tries again every %2 s.</source>
        <translation>无法加载人群分组。%1 页面每 %2 秒重试一次。</translation>
    </message>
    <message>
        <source>The segments are not loaded.</source>
        <translation>人群分组尚未加载。</translation>
    </message>
    <message>
        <source>No segments have been saved yet: every user gets the generic strategy.</source>
        <translation>尚未保存任何人群分组：所有用户都适用通用策略。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <source>no rate limit</source>
        <translation>不限速率</translation>
    </message>
    <message>
        <source>at most %1 messages per second</source>
        <translation>每秒最多 %1 条消息</translation>
    </message>
    <message numerus="yes">
        <source>Version %1 · saved %2 · source: %3 · reason: “%4” · %n segment(s)</source>
        <translation>
            <numerusform>版本 %1 · 保存于 %2 · 来源：%3 · 原因：“%4” · %n 个分组</numerusform>
        </translation>
    </message>
    <message>
        <source>Seed users: %1 · holdout %2 % · %3</source>
        <translation>种子用户：%1 · 留出 %2% · %3</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SegmentsTab</name>
    <message>
        <source>New segment</source>
        <translation>新建分组</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Someone saved the segments after you started this draft. Saving your draft then replaces their version: look at it in History first.</source>
        <translation>在你开始此草稿之后，有人保存了人群分组。此时保存你的草稿会替换他们的版本：请先在“历史版本”中查看。</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>There are no segments: every seed user is left to the generic strategy. Add one with “New segment”.</source>
        <translation>没有人群分组：所有种子用户都适用通用策略。点击“新建分组”添加一个。</translation>
    </message>
    <message>
        <source>Undo: %1</source>
        <translation>撤销：%1</translation>
    </message>
    <message>
        <source>Redo: %1</source>
        <translation>重做：%1</translation>
    </message>
    <message>
        <source>Base my draft on version %1</source>
        <translation>将我的草稿改为基于版本 %1</translation>
    </message>
    <message>
        <source>Unsaved draft based on version %1: users are reached with the saved segments until you save.</source>
        <translation>基于版本 %1 的未保存草稿：保存之前，仍按已保存的人群分组触达用户。</translation>
    </message>
    <message>
        <source>Version %1 has been saved since, so saving this draft will be refused. Compare in History, then discard the draft or base it on version %1 to replace that version.</source>
        <translation>此后已保存了版本 %1，因此保存此草稿会被拒绝。请在“历史版本”中比较，然后放弃草稿，或将其改为基于版本 %1 以替换该版本。</translation>
    </message>
    <message>
        <source>Change the id of %1</source>
        <translation>修改 %1 的 ID</translation>
    </message>
    <message>
        <source>Rename %1</source>
        <translation>重命名 %1</translation>
    </message>
    <message>
        <source>Edit the expression of %1</source>
        <translation>编辑 %1 的表达式</translation>
    </message>
    <message>
        <source>Change the priority of %1</source>
        <translation>修改 %1 的优先级</translation>
    </message>
    <message>
        <source>Enable %1</source>
        <translation>启用 %1</translation>
    </message>
    <message>
        <source>Disable %1</source>
        <translation>停用 %1</translation>
    </message>
    <message>
        <source>Change the frequency cap of %1</source>
        <translation>修改 %1 的频次上限</translation>
    </message>
    <message>
        <source>Change the channels of %1</source>
        <translation>修改 %1 的渠道</translation>
    </message>
    <message>
        <source>Edit the seed users</source>
        <translation>编辑种子用户</translation>
    </message>
    <message>
        <source>Change the holdout</source>
        <translation>修改留出比例</translation>
    </message>
    <message>
        <source>Change the rate limit</source>
        <translation>修改速率上限</translation>
    </message>
    <message>
        <source>Add segment %1</source>
        <translation>新增分组 %1</translation>
    </message>
    <message>
        <source>Delete segment %1</source>
        <translation>删除分组 %1</translation>
    </message>
    <message>
        <source>Your draft is now based on version %1: saving it replaces that version&apos;s segments.</source>
        <translation>你的草稿现在基于版本 %1：保存后将替换该版本的人群分组。</translation>
    </message>
    <message>
        <source>Save the segments</source>
        <translation>保存人群分组</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The segments were not saved</source>
        <translation>人群分组未保存</translation>
    </message>
    <message>
        <source>Saved as version %1.</source>
        <translation>已保存为版本 %1。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SimulationView</name>
    <message>
        <source>· used up</source>
        <translation>· 已用完</translation>
    </message>
    <message>
        <source>· at 90 %</source>
        <translation>· 已达 90 %</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Live config</source>
        <translation>生效中的配置</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Change the config, then choose “What would it have done?” to replay it over the first orders of the last 7 days, next to the live config, before saving.</source>
        <translation>修改配置，然后选择“它会产生什么效果？”，在保存之前用它与生效中的配置并排重放最近 7 天的首单。</translation>
    </message>
    <message>
        <source>The draft changed since this replay: run it again to see what the draft as typed would have done.</source>
        <translation>此次重放后草稿已更改：请再次运行，查看当前输入的草稿会产生什么效果。</translation>
    </message>
    <message>
        <source>First orders replayed</source>
        <translation>重放的首单</translation>
    </message>
    <message>
        <source>Users subsidised</source>
        <translation>获得补贴的用户</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Cost against the budget of “%1”</source>
        <translation>相对“%1”预算的成本</translation>
    </message>
    <message>
        <source>not charged</source>
        <translation>未计入</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message numerus="yes">
        <source>Replayed the %n first order(s) from %1 to %2 with the draft and with the live config.</source>
        <translation>
            <numerusform>已用草稿和生效中的配置重放 %1 至 %2 的 %n 笔首单。</numerusform>
        </translation>
    </message>
    <message>
        <source>The draft would subsidise %1 user(s) the live config does not, and no longer subsidise %2.</source>
        <translation>草稿会补贴 %1 位生效中的配置不补贴的用户，并不再补贴 %2 位用户。</translation>
    </message>
    <message>
        <source>%1 · %2
of %3</source>
        <translation>%1 · %2
（预算 %3）</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::StockModel</name>
    <message>
        <source>Out of stock</source>
        <translation>缺货</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>不足</translation>
    </message>
    <message>
        <source>Out of stock: nothing is available to order. Receive stock to sell it again.</source>
        <translation>缺货：没有可下单的库存。入库后即可再次销售。</translation>
    </message>
    <message>
        <source>Low on stock: %1 available, at or below the threshold of %2.</source>
        <translation>库存不足：可用 %1，不超过阈值 %2。</translation>
    </message>
    <message>
        <source>Held by unpaid orders until they are paid, cancelled or their reservation expires.</source>
        <translation>由未付款订单预占，直到订单付款、取消或预占到期。</translation>
    </message>
    <message>
        <source>Units that can be ordered now.</source>
        <translation>当前可下单的数量。</translation>
    </message>
    <message>
        <source>Units held by unpaid orders.</source>
        <translation>未付款订单预占的数量。</translation>
    </message>
    <message>
        <source>Units of paid orders.</source>
        <translation>已付款订单的数量。</translation>
    </message>
    <message>
        <source>All units ever received: available + reserved + sold.</source>
        <translation>累计入库数量：可用 + 预占 + 已售。</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>预占</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SubsidyClient</name>
    <message>
        <source>The backend closed the subsidy stream.</source>
        <translation>后端关闭了补贴数据流。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SubsidyConfigEditor</name>
    <message>
        <source>Subsidise first orders</source>
        <translation>补贴首单</translation>
    </message>
    <message>
        <source>Off: no first order is subsidised; decisions are still recorded, so the replay below keeps working.</source>
        <translation>关闭：不补贴任何首单；决策仍会记录，因此重放仍然可用。</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Every subsidy of this config is charged to this campaign; it needs a budget below.</source>
        <translation>此配置的每笔补贴都计入此活动；它需要在下方设置预算。</translation>
    </message>
    <message>
        <source>Minimum LTV/CAC</source>
        <translation>最低 LTV/CAC</translation>
    </message>
    <message>
        <source>No subsidy when the predicted lifetime value divided by the channel&apos;s acquisition cost is below this.</source>
        <translation>预测生命周期价值除以渠道获客成本低于此值时不补贴。</translation>
    </message>
    <message>
        <source>× CAC</source>
        <translation>× CAC</translation>
    </message>
    <message>
        <source>Base amount</source>
        <translation>基础金额</translation>
    </message>
    <message>
        <source>The subsidy before the cap; never more than 30 % of the LTV nor the order&apos;s total.</source>
        <translation>封顶前的补贴；绝不超过 LTV 的 30 %，也不超过订单总额。</translation>
    </message>
    <message>
        <source>Cap factor</source>
        <translation>封顶倍数</translation>
    </message>
    <message>
        <source>The subsidy is at most the base amount × this.</source>
        <translation>补贴最多为基础金额 × 此倍数。</translation>
    </message>
    <message>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <source>Active days</source>
        <translation>活跃天数</translation>
    </message>
    <message>
        <source>No subsidy for users active on fewer of the last 7 days.</source>
        <translation>最近 7 天活跃天数少于此值的用户不补贴。</translation>
    </message>
    <message>
        <source>of the last 7</source>
        <translation>天（最近 7 天）</translation>
    </message>
    <message>
        <source>Latency threshold</source>
        <translation>延迟阈值</translation>
    </message>
    <message>
        <source>When the order path&apos;s live P99 is above this, risky users are down-weighted.</source>
        <translation>下单链路实时 P99 高于此值时，高风险用户的补贴被降权。</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Risk score threshold</source>
        <translation>风险分阈值</translation>
    </message>
    <message>
        <source>A user is risky at or above this risk score.</source>
        <translation>风险分达到或高于此值的用户视为高风险。</translation>
    </message>
    <message>
        <source>of 100</source>
        <translation>/ 100</translation>
    </message>
    <message>
        <source>Risk weight</source>
        <translation>风险权重</translation>
    </message>
    <message>
        <source>A risky user&apos;s subsidy is multiplied by this while the order path is slow.</source>
        <translation>下单链路变慢时，高风险用户的补贴乘以此值。</translation>
    </message>
    <message>
        <source>Base orders</source>
        <translation>基础订单数</translation>
    </message>
    <message>
        <source>Orders every new user is expected to place.</source>
        <translation>每位新用户预期会下的订单数。</translation>
    </message>
    <message>
        <source>orders</source>
        <translation>单</translation>
    </message>
    <message>
        <source>Orders per active day</source>
        <translation>每活跃日订单数</translation>
    </message>
    <message>
        <source>Expected orders added per day active in the last 7.</source>
        <translation>最近 7 天中每个活跃日增加的预期订单数。</translation>
    </message>
    <message>
        <source>Orders per past order</source>
        <translation>每笔历史订单的订单数</translation>
    </message>
    <message>
        <source>Expected orders added per paid order so far.</source>
        <translation>每笔已支付订单增加的预期订单数。</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>毛利率</translation>
    </message>
    <message>
        <source>The share of an order&apos;s value the shop keeps.</source>
        <translation>店铺从订单金额中留存的比例。</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Category history needed</source>
        <translation>所需类目历史</translation>
    </message>
    <message>
        <source>Below this many paid orders in 30 days, the category&apos;s average is not trusted and the order&apos;s own total is used.</source>
        <translation>30 天内已支付订单少于此数时，不采用类目平均值，而使用本订单总额。</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决策</translation>
    </message>
    <message>
        <source>Risk: down-weighting while the order path is slow</source>
        <translation>风险：下单链路变慢时降权</translation>
    </message>
    <message>
        <source>Acquisition cost (CAC) per channel</source>
        <translation>各渠道获客成本（CAC）</translation>
    </message>
    <message>
        <source>Campaign budgets</source>
        <translation>活动预算</translation>
    </message>
    <message>
        <source>Add a campaign</source>
        <translation>添加活动</translation>
    </message>
    <message>
        <source>LTV model: expected orders × average order value × margin</source>
        <translation>LTV 模型：预期订单数 × 平均订单金额 × 毛利率</translation>
    </message>
    <message>
        <source>CAC, %1</source>
        <translation>CAC，%1</translation>
    </message>
    <message>
        <source>What acquiring a user through this channel costs; empty: no subsidy on this channel.</source>
        <translation>通过此渠道获取一位用户的成本；留空：此渠道不补贴。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>campaign id</source>
        <translation>活动 ID</translation>
    </message>
    <message>
        <source>Campaign id</source>
        <translation>活动 ID</translation>
    </message>
    <message>
        <source>Total budget</source>
        <translation>总预算</translation>
    </message>
    <message>
        <source>Budget per day</source>
        <translation>每日预算</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>总计 %1</translation>
    </message>
    <message>
        <source>per day %1</source>
        <translation>每日 %1</translation>
    </message>
    <message>
        <source>lower-case letters, digits, “_” and “-”, at most 40</source>
        <translation>小写字母、数字、“_”和“-”，最多 40 个</translation>
    </message>
    <message>
        <source>more than %1, at most %2</source>
        <translation>大于 %1，最多 %2</translation>
    </message>
    <message>
        <source>from %1 % to %2 %</source>
        <translation>%1 % 到 %2 %</translation>
    </message>
    <message>
        <source>a whole number from %1 to %2</source>
        <translation>%1 到 %2 之间的整数</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>在 %1 到 %2 之间</translation>
    </message>
    <message>
        <source>%1 is needed: every subsidy is charged to a campaign.</source>
        <translation>必须填写%1：每笔补贴都计入一个活动。</translation>
    </message>
    <message>
        <source>%1 “%2” may only hold lower-case letters, digits, “_” and “-” (at most 40).</source>
        <translation>%1“%2”只能包含小写字母、数字、“_”和“-”（最多 40 个）。</translation>
    </message>
    <message>
        <source>%1 is needed.</source>
        <translation>必须填写%1。</translation>
    </message>
    <message>
        <source>%1 must be an amount such as 12.50 (digits, at most two decimals).</source>
        <translation>%1必须是金额，例如 12.50（数字，最多两位小数）。</translation>
    </message>
    <message>
        <source>%1 must be more than %2.</source>
        <translation>%1必须大于 %2。</translation>
    </message>
    <message>
        <source>%1 must be at most %2.</source>
        <translation>%1最多为 %2。</translation>
    </message>
    <message>
        <source>%1 must be a percentage such as 25 or 12.5.</source>
        <translation>%1必须是百分比，例如 25 或 12.5。</translation>
    </message>
    <message>
        <source>%1 must be from %2 % to %3 %.</source>
        <translation>%1必须在 %2 % 到 %3 % 之间。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1必须是整数。</translation>
    </message>
    <message>
        <source>%1 must be from %2 to %3.</source>
        <translation>%1必须在 %2 到 %3 之间。</translation>
    </message>
    <message>
        <source>%1 must be a number such as 1.5.</source>
        <translation>%1必须是数字，例如 1.5。</translation>
    </message>
    <message>
        <source>%1 must be at least %2.</source>
        <translation>%1至少为 %2。</translation>
    </message>
    <message>
        <source>the new campaign</source>
        <translation>新活动</translation>
    </message>
    <message>
        <source>A budget row needs its campaign id.</source>
        <translation>预算行需要填写活动 ID。</translation>
    </message>
    <message>
        <source>Campaign id “%1” may only hold lower-case letters, digits, “_” and “-” (at most 40).</source>
        <translation>活动 ID“%1”只能包含小写字母、数字、“_”和“-”（最多 40 个）。</translation>
    </message>
    <message>
        <source>Campaign “%1” has two budget rows; keep one.</source>
        <translation>活动“%1”有两行预算；请只保留一行。</translation>
    </message>
    <message>
        <source>The total budget of %1</source>
        <translation>%1 的总预算</translation>
    </message>
    <message>
        <source>The budget per day of %1</source>
        <translation>%1 的每日预算</translation>
    </message>
    <message>
        <source>The budget per day of %1 (%2) cannot be more than its total budget (%3).</source>
        <translation>%1 的每日预算（%2）不能超过其总预算（%3）。</translation>
    </message>
    <message>
        <source>Subsidies of %1 stop when either budget is used up; at 90 % the page warns.</source>
        <translation>任一预算用完时 %1 的补贴即停止；达到 90 % 时页面会提醒。</translation>
    </message>
    <message>
        <source>Campaign “%1” has no budget: add one under “Campaign budgets”, or charge the subsidies to a campaign that has one.</source>
        <translation>活动“%1”没有预算：请在“活动预算”下添加，或将补贴计入已有预算的活动。</translation>
    </message>
    <message>
        <source>The subsidy config is not loaded yet.</source>
        <translation>补贴配置尚未加载。</translation>
    </message>
    <message>
        <source>Allowed: %1.</source>
        <translation>允许范围：%1。</translation>
    </message>
    <message>
        <source>Total budget of %1</source>
        <translation>%1 的总预算</translation>
    </message>
    <message>
        <source>Budget per day of %1</source>
        <translation>%1 的每日预算</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SubsidyPage</name>
    <message>
        <source>First-order subsidies</source>
        <translation>首单补贴</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Loading the subsidy config…</source>
        <translation>正在加载补贴配置…</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Explain a user</source>
        <translation>解释用户</translation>
    </message>
    <message>
        <source>Budgets and ROI</source>
        <translation>预算与 ROI</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未填写原因</translation>
    </message>
    <message>
        <source>Config version %1 · saved %2 · source: %3 · reason: “%4”</source>
        <translation>配置版本 %1 · 保存于 %2 · 来源：%3 · 原因：“%4”</translation>
    </message>
    <message>
        <source>This backend does not offer subsidies yet. Subsidies need a backend version with the subsidy service; the rest of the console works as before. The page asks again every %1 s.</source>
        <translation>此后端尚不提供补贴。补贴需要带有补贴服务的后端版本；控制台的其他部分照常工作。页面每 %1 秒再次询问。</translation>
    </message>
    <message>
        <source>No subsidy config: the backend has no subsidies.</source>
        <translation>没有补贴配置：后端不提供补贴。</translation>
    </message>
    <message>
        <source>Could not refresh the subsidy page. %1 It shows what was last loaded and tries again every %2 s.</source>
        <translation>无法刷新补贴页面。%1 页面显示最近一次加载的内容，并每 %2 秒重试。</translation>
    </message>
    <message>
        <source>Could not load the subsidy config. %1 The page tries again every %2 s.</source>
        <translation>无法加载补贴配置。%1 页面每 %2 秒重试。</translation>
    </message>
    <message>
        <source>The subsidy config is not loaded.</source>
        <translation>补贴配置未加载。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::SubsidyText</name>
    <message>
        <source>App</source>
        <translation>App</translation>
    </message>
    <message>
        <source>Mini program</source>
        <translation>小程序</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>Granted</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Granted, down-weighted</source>
        <translation>已发放，已降权</translation>
    </message>
    <message>
        <source>Subsidies switched off</source>
        <translation>补贴已关闭</translation>
    </message>
    <message>
        <source>Not a first order</source>
        <translation>非首单</translation>
    </message>
    <message>
        <source>LTV/CAC below the minimum</source>
        <translation>LTV/CAC 低于最低值</translation>
    </message>
    <message>
        <source>Too few active days</source>
        <translation>活跃天数不足</translation>
    </message>
    <message>
        <source>No CAC for the channel</source>
        <translation>该渠道没有 CAC</translation>
    </message>
    <message>
        <source>Campaign budget used up</source>
        <translation>活动预算已用完</translation>
    </message>
    <message>
        <source>Today&apos;s budget used up</source>
        <translation>今日预算已用完</translation>
    </message>
    <message>
        <source>Unknown reason (%1)</source>
        <translation>未知原因（%1）</translation>
    </message>
    <message>
        <source>The user is worth it: their predicted lifetime value covers the acquisition cost by at least the minimum ratio and they were active on enough days, so the first order is subsidised.</source>
        <translation>该用户值得补贴：其预测生命周期价值至少按最低比例覆盖获客成本，且活跃天数足够，因此首单获得补贴。</translation>
    </message>
    <message>
        <source>Subsidised, but reduced by the risk weight: the order path is slow right now (its live P99 is above the threshold) and the user&apos;s risk score is at or above the risk threshold.</source>
        <translation>已补贴，但按风险权重降低：下单链路当前较慢（实时 P99 高于阈值），且用户风险分达到或高于风险阈值。</translation>
    </message>
    <message>
        <source>No subsidy: subsidies are switched off in this config.</source>
        <translation>无补贴：此配置已关闭补贴。</translation>
    </message>
    <message>
        <source>No subsidy: the user already has a paid order, or a first-order subsidy that is still in force.</source>
        <translation>无补贴：该用户已有已支付订单，或仍有生效中的首单补贴。</translation>
    </message>
    <message>
        <source>No subsidy: the predicted lifetime value divided by the channel&apos;s acquisition cost is below the minimum ratio.</source>
        <translation>无补贴：预测生命周期价值除以渠道获客成本低于最低比例。</translation>
    </message>
    <message>
        <source>No subsidy: the user was active on fewer of the last 7 days than the config asks for.</source>
        <translation>无补贴：该用户最近 7 天的活跃天数少于配置要求。</translation>
    </message>
    <message>
        <source>No subsidy: the config has no acquisition cost for the user&apos;s channel.</source>
        <translation>无补贴：配置中没有该用户渠道的获客成本。</translation>
    </message>
    <message>
        <source>No subsidy: the campaign&apos;s total budget is used up.</source>
        <translation>无补贴：活动总预算已用完。</translation>
    </message>
    <message>
        <source>No subsidy: the campaign&apos;s budget for today (UTC) is used up.</source>
        <translation>无补贴：活动今日（UTC）预算已用完。</translation>
    </message>
    <message>
        <source>The backend gave a reason this console does not know (%1).</source>
        <translation>后端给出了此控制台不认识的原因（%1）。</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Subsidies</source>
        <translation>补贴</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Minimum LTV/CAC</source>
        <translation>最低 LTV/CAC</translation>
    </message>
    <message>
        <source>Base amount</source>
        <translation>基础金额</translation>
    </message>
    <message>
        <source>Cap factor</source>
        <translation>封顶倍数</translation>
    </message>
    <message>
        <source>Active days (of the last 7)</source>
        <translation>活跃天数（最近 7 天）</translation>
    </message>
    <message>
        <source>Latency threshold</source>
        <translation>延迟阈值</translation>
    </message>
    <message>
        <source>Risk score threshold</source>
        <translation>风险分阈值</translation>
    </message>
    <message>
        <source>Risk weight</source>
        <translation>风险权重</translation>
    </message>
    <message>
        <source>CAC, %1</source>
        <translation>CAC，%1</translation>
    </message>
    <message>
        <source>Budget of %1, total</source>
        <translation>%1 的预算，总计</translation>
    </message>
    <message>
        <source>Budget of %1, per day</source>
        <translation>%1 的预算，每日</translation>
    </message>
    <message>
        <source>LTV: base orders</source>
        <translation>LTV：基础订单数</translation>
    </message>
    <message>
        <source>LTV: orders per active day</source>
        <translation>LTV：每活跃日订单数</translation>
    </message>
    <message>
        <source>LTV: orders per past order</source>
        <translation>LTV：每笔历史订单的订单数</translation>
    </message>
    <message>
        <source>LTV: margin</source>
        <translation>LTV：毛利率</translation>
    </message>
    <message>
        <source>LTV: category history needed</source>
        <translation>LTV：所需类目历史</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n 笔订单</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: added, %2</source>
        <translation>%1：新增，%2</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <source>%1: removed (was %2)</source>
        <translation>%1：已删除（原为 %2）</translation>
    </message>
    <message>
        <source>Subsidies are switched off: no first order is subsidised (decisions are still recorded).</source>
        <translation>补贴已关闭：不补贴任何首单（决策仍会记录）。</translation>
    </message>
    <message>
        <source>First orders of users with LTV/CAC ≥ %1 and at least %2 active days get up to %3, charged to campaign “%4”.</source>
        <translation>LTV/CAC ≥ %1 且至少活跃 %2 天的用户，首单最多获得 %3 补贴，计入活动“%4”。</translation>
    </message>
    <message>
        <source>Amount comes to nothing</source>
        <translation>金额为零</translation>
    </message>
    <message>
        <source>No subsidy: the user qualifies, but the amount rounds to zero — the order is free, or the cap, 30 % of the LTV and the risk weight leave nothing.</source>
        <translation>不补贴：用户符合条件，但金额取整后为零——订单免费，或上限、LTV 的 30% 与风险权重之后已无余额。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::ThresholdsTab</name>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>时间窗口</translation>
    </message>
    <message>
        <source>Slow after</source>
        <translation>超过此时长视为缓慢</translation>
    </message>
    <message>
        <source>Fires above this share of paid orders</source>
        <translation>已支付订单占比高于此值时触发</translation>
    </message>
    <message>
        <source>At least this many paid orders</source>
        <translation>最少已支付订单数</translation>
    </message>
    <message>
        <source>Fires above this many attempts</source>
        <translation>尝试次数超过此值时触发</translation>
    </message>
    <message>
        <source>Fires above</source>
        <translation>高于此值时触发</translation>
    </message>
    <message>
        <source>At least this many orders</source>
        <translation>最少订单数</translation>
    </message>
    <message>
        <source>Fires at this share of a cap</source>
        <translation>达到上限的此比例时触发</translation>
    </message>
    <message>
        <source>Version %1 in force, saved %2 (%3).</source>
        <translation>版本 %1 正在生效，保存于 %2（%3）。</translation>
    </message>
    <message>
        <source>Save the alert thresholds</source>
        <translation>保存告警阈值</translation>
    </message>
    <message>
        <source>Why this change? (required; it is kept in the history)</source>
        <translation>为什么要做此更改？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The thresholds are not loaded yet; nothing was saved.</source>
        <translation>阈值尚未加载；未保存任何内容。</translation>
    </message>
    <message>
        <source>Nothing was saved: the form is the same as version %1.</source>
        <translation>未保存任何内容：表单与版本 %1 相同。</translation>
    </message>
    <message>
        <source>Saving needs a reason; nothing was saved.</source>
        <translation>保存必须填写原因；未保存任何内容。</translation>
    </message>
    <message>
        <source>The thresholds were not saved</source>
        <translation>阈值未保存</translation>
    </message>
    <message>
        <source>Saved as version %1: the alerts use it from their next evaluation.</source>
        <translation>已保存为版本 %1：告警将从下一次评估起使用它。</translation>
    </message>
    <message>
        <source>Roll back the alert thresholds</source>
        <translation>回滚告警阈值</translation>
    </message>
    <message>
        <source>Why roll back to version %1? (required; it is kept in the history)</source>
        <translation>为什么要回滚到版本 %1？（必填，将记录在历史中）</translation>
    </message>
    <message>
        <source>Make the thresholds of version %1 the ones in force? This is saved as a new version.</source>
        <translation>让版本 %1 的阈值生效？此操作会保存为一个新版本。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>The thresholds were not rolled back</source>
        <translation>阈值未回滚</translation>
    </message>
    <message>
        <source>Rolled back to version %1: the thresholds in force are now version %2.</source>
        <translation>已回滚到版本 %1：当前生效的阈值现在是版本 %2。</translation>
    </message>
    <message>
        <source>%1: someone else saved a newer version while you were editing. Your draft is kept: compare with the newest version in the history, then discard it or save it again.</source>
        <translation>%1：在你编辑期间，其他人保存了更新的版本。你的草稿已保留：请与历史中的最新版本比较，然后放弃草稿或重新保存。</translation>
    </message>
    <message>
        <source>%1: the backend refused it: %2. Your draft is kept: correct it and save again.</source>
        <translation>%1：后端拒绝了它：%2。你的草稿已保留：请更正后重新保存。</translation>
    </message>
    <message>
        <source>%1: this backend has no business alerts yet.</source>
        <translation>%1：此后端尚无业务告警。</translation>
    </message>
    <message>
        <source>%1: the backend says your role may not change it (%2).</source>
        <translation>%1：后端表示你的角色无权修改它（%2）。</translation>
    </message>
    <message>
        <source>%1: the backend refused: %2</source>
        <translation>%1：后端拒绝：%2</translation>
    </message>
    <message>
        <source>%1. %2 Your draft is kept: save again when the backend is back.</source>
        <translation>%1。%2 你的草稿已保留：请在后端恢复后重新保存。</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Select a version to see what it changed against the one before it.</source>
        <translation>选择一个版本，查看它相对上一个版本改了什么。</translation>
    </message>
    <message>
        <source>The first version: the default thresholds.</source>
        <translation>第一个版本：默认阈值。</translation>
    </message>
    <message>
        <source>The version before it is not listed.</source>
        <translation>它之前的版本不在列表中。</translation>
    </message>
    <message>
        <source>Version %1 changed nothing against version %2.</source>
        <translation>版本 %1 相对版本 %2 没有任何改动。</translation>
    </message>
    <message>
        <source>Against version %1:
%2</source>
        <translation>相对版本 %1：
%2</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::TimeText</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::TokenSecretDialog</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Token “%1” created</source>
        <translation>已创建令牌“%1”</translation>
    </message>
    <message>
        <source>The token “%1” (role %2) was created. Give it to whoever holds it; they enter it in their connection profile.</source>
        <translation>已创建令牌“%1”（角色 %2）。请将它交给持有人，由其填入自己的连接配置。</translation>
    </message>
    <message>
        <source>This is the only time the token is shown. Copy it now: it cannot be shown again, only revoked and replaced.</source>
        <translation>令牌仅显示这一次。请立即复制：之后无法再次显示，只能吊销并重新创建。</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::TokensPage</name>
    <message>
        <source>Access tokens</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <source>New token…</source>
        <translation>新建令牌…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>吊销…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>过期时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>This backend has no tokens file, so it asks for no tokens and there are none to manage here (demo mode, or a daemon on this computer started without one). To require tokens, start flywheeld with tokens_file in its configuration or --tokens-file; see docs/operations.md.</source>
        <translation>此后端没有令牌文件，因此不要求令牌，这里也没有可管理的令牌（演示模式，或本机上未配置令牌文件启动的守护进程）。如需要求令牌，请在 flywheeld 配置中设置 tokens_file 或使用 --tokens-file 启动；参见 docs/operations.md。</translation>
    </message>
    <message>
        <source>Could not load the tokens. %1</source>
        <translation>无法加载令牌。%1</translation>
    </message>
    <message>
        <source>revoked %1</source>
        <translation>已于 %1 吊销</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>active</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>Managing tokens needs the role admin; you are signed in as %1 with the role %2.</source>
        <translation>管理令牌需要 admin 角色；您以 %1 登录，角色为 %2。</translation>
    </message>
    <message>
        <source>Loading the tokens…</source>
        <translation>正在加载令牌…</translation>
    </message>
    <message>
        <source>Not connected yet.</source>
        <translation>尚未连接。</translation>
    </message>
    <message>
        <source>The tokens file holds no tokens yet. Choose “New token…” to make one.</source>
        <translation>令牌文件中还没有令牌。选择“新建令牌…”来创建一个。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>永不</translation>
    </message>
    <message numerus="yes">
        <source>%n active token(s)</source>
        <translation>
            <numerusform>%n 个生效令牌</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n in all</source>
        <translation>
            <numerusform>，共 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>This backend has no tokens file.</source>
        <translation>此后端没有令牌文件。</translation>
    </message>
    <message>
        <source>Make a new token and show it once.</source>
        <translation>创建新令牌并显示一次。</translation>
    </message>
    <message>
        <source>Select a token first.</source>
        <translation>请先选择一个令牌。</translation>
    </message>
    <message>
        <source>This token is revoked already.</source>
        <translation>此令牌已被吊销。</translation>
    </message>
    <message>
        <source>Refuse the token “%1” from now on.</source>
        <translation>从现在起拒绝令牌“%1”。</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>新建令牌</translation>
    </message>
    <message>
        <source>Could not create the token “%1”. %2</source>
        <translation>无法创建令牌“%1”。%2</translation>
    </message>
    <message>
        <source>Created the token “%1” (%2). It is shown once, in the window that opened.</source>
        <translation>已创建令牌“%1”（%2）。它只在弹出的窗口中显示一次。</translation>
    </message>
    <message>
        <source>Revoke token</source>
        <translation>吊销令牌</translation>
    </message>
    <message>
        <source>Why is the token “%1” revoked?</source>
        <translation>为什么吊销令牌“%1”？</translation>
    </message>
    <message>
        <source>Every call with the token “%1” (role %2) is refused within a second, also from consoles connected with it now. This cannot be undone: make a new token to let its holder back in.</source>
        <translation>使用令牌“%1”（角色 %2）的所有调用将在一秒内被拒绝，包括当前用它连接的控制台。此操作无法撤销：如需恢复其持有人的访问，请创建新令牌。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <source>Could not revoke the token “%1”. %2</source>
        <translation>无法吊销令牌“%1”。%2</translation>
    </message>
    <message>
        <source>Revoked the token “%1”: calls with it are refused from now on.</source>
        <translation>已吊销令牌“%1”：从现在起使用它的调用将被拒绝。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::UserLookupTab</name>
    <message>
        <source>e.g. 100001</source>
        <translation>例如 100001</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Enter a user id to see their profile, their segments and how they would be reached now. Looking up sends nothing.</source>
        <translation>输入用户 ID，查看其画像、所属分组以及现在会如何触达。查询不会发送任何消息。</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Profile features</source>
        <translation>画像特征</translation>
    </message>
    <message>
        <source>Preference tags</source>
        <translation>偏好标签</translation>
    </message>
    <message>
        <source>Enter a user id: a positive number such as 100001.</source>
        <translation>请输入用户 ID：一个正整数，例如 100001。</translation>
    </message>
    <message>
        <source>Looking up user %1…</source>
        <translation>正在查询用户 %1…</translation>
    </message>
    <message>
        <source>User %1 has no profile yet: no event has named them, so no segment can match them.</source>
        <translation>用户 %1 还没有画像：还没有任何事件涉及此用户，因此不会匹配任何分组。</translation>
    </message>
    <message>
        <source>Could not look up user %1. %2</source>
        <translation>无法查询用户 %1。%2</translation>
    </message>
    <message>
        <source>User %1 is a seed user: the segments apply to them.</source>
        <translation>用户 %1 是种子用户：人群分组适用于此用户。</translation>
    </message>
    <message>
        <source>User %1 is not a seed user: the generic strategy applies to them, not the segments.</source>
        <translation>用户 %1 不是种子用户：适用通用策略，而不是人群分组。</translation>
    </message>
    <message>
        <source>In no enabled segment.</source>
        <translation>不属于任何已启用的分组。</translation>
    </message>
    <message numerus="yes">
        <source>In %n enabled segment(s), highest priority first: %1</source>
        <translation>
            <numerusform>属于 %n 个已启用的分组（优先级从高到低）：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Reach decision now: %1. %2
The backend&apos;s reason: %3 (segment set version %4; nothing was sent).</source>
        <translation>当前触达决策：%1。%2
后端给出的原因：%3（分组版本 %4；未发送任何消息）。</translation>
    </message>
</context>
<context>
    <name>flywheel::ui::VersionHistoryView</name>
    <message>
        <source>Roll back to this version…</source>
        <translation>回滚到此版本…</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Select a version to see what it changed.</source>
        <translation>选择一个版本，查看它做了哪些更改。</translation>
    </message>
    <message>
        <source>Changes against the version before:</source>
        <translation>与上一版本相比的更改：</translation>
    </message>
    <message>
        <source>console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>rollback</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>initial</source>
        <translation>初始</translation>
    </message>
</context>
</TS>
