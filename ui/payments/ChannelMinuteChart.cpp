#include "payments/ChannelMinuteChart.h"

#include "common/Format.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

namespace {

QString titleOf(ChannelMinuteChart::Kind kind)
{
    switch (kind) {
    case ChannelMinuteChart::Kind::SuccessRate:
        return ChannelMinuteChart::tr("Success rate per minute");
    case ChannelMinuteChart::Kind::Latency:
        return ChannelMinuteChart::tr("Latency, create to paid (p50 and p95)");
    case ChannelMinuteChart::Kind::Volume:
        return ChannelMinuteChart::tr("Volume paid per minute");
    }
    return QString();
}

} // namespace

ChannelMinuteChart::ChannelMinuteChart(Kind kind, QWidget *parent) : ChartPanel(titleOf(kind), parent), m_kind(kind)
{
    showWaiting(tr("Waiting for the channel figures…"));
}

void ChannelMinuteChart::showWaiting(const QString &message)
{
    clear();
    m_first.clear();
    m_second.clear();
    showEmpty(message);
}

void ChannelMinuteChart::setMinutes(const google::protobuf::RepeatedPtrField<v1::ChannelMinute> &minutes,
                                    const QString &currency)
{
    clear();
    m_first.clear();
    m_second.clear();
    for (const v1::ChannelMinute &minute : minutes) {
        const qreal x = qreal(minute.minute().seconds()) * 1000.0;
        const qint64 outcomes = minute.succeeded() + minute.failed();
        switch (m_kind) {
        case Kind::SuccessRate:
            if (outcomes > 0)
                m_first.append(QPointF(x, 100.0 * double(minute.succeeded()) / double(outcomes)));
            break;
        case Kind::Latency:
            if (minute.succeeded() > 0) {
                m_first.append(QPointF(x, minute.latency_p50_ms()));
                m_second.append(QPointF(x, minute.latency_p95_ms()));
            }
            break;
        case Kind::Volume:
            m_first.append(QPointF(x, toMajorUnits(minute.volume_minor())));
            break;
        }
    }
    const bool nothing = m_kind == Kind::Volume
                             ? std::all_of(m_first.cbegin(), m_first.cend(), [](const QPointF &p) { return p.y() == 0; })
                             : m_first.isEmpty();
    if (nothing) {
        m_first.clear();
        showEmpty(m_kind == Kind::Latency ? tr("No payment succeeded on this channel in the last hour.")
                  : m_kind == Kind::Volume ? tr("Nothing paid on this channel in the last hour.")
                                           : tr("No payment finished on this channel in the last hour."));
        return;
    }
    hideEmpty();
    auto *first = new QLineSeries();
    first->replace(m_first);
    chart()->addSeries(first);
    QLineSeries *second = nullptr;
    double top = 0;
    for (const QPointF &p : m_first)
        top = std::max(top, p.y());
    switch (m_kind) {
    case Kind::SuccessRate:
        first->setName(tr("Success rate, %"));
        first->setColor(QColor(0x2d, 0xa4, 0x4e));
        break;
    case Kind::Latency: {
        first->setName(tr("p50, ms"));
        first->setColor(QColor(0x1f, 0x6f, 0xeb));
        second = new QLineSeries();
        second->setName(tr("p95, ms"));
        QPen pen(QColor(0x82, 0x50, 0xdf));
        pen.setWidthF(2.0);
        pen.setStyle(Qt::DashLine);
        second->setPen(pen);
        second->replace(m_second);
        chart()->addSeries(second);
        for (const QPointF &p : m_second)
            top = std::max(top, p.y());
        break;
    }
    case Kind::Volume:
        first->setName(tr("Paid, %1").arg(currencySymbol(currency).trimmed()));
        first->setColor(QColor(0xbf, 0x87, 0x00));
        break;
    }
    auto *values = new QValueAxis();
    if (m_kind == Kind::SuccessRate) {
        // A little above 100, so that a line at 100 % is not drawn on the frame; ticks every 20 %.
        values->setRange(0, 105);
        values->setTickType(QValueAxis::TicksDynamic);
        values->setTickAnchor(0);
        values->setTickInterval(20);
        values->setLabelFormat(QStringLiteral("%.0f %%"));
    } else {
        setCountRange(values, qint64(std::ceil(top)));
    }
    values->setTruncateLabels(false);
    auto *time = new QDateTimeAxis();
    time->setFormat(QStringLiteral("HH:mm"));
    const qint64 firstMinute = minutes.empty() ? 0 : minutes.begin()->minute().seconds();
    const qint64 lastMinute = std::max<qint64>(minutes.empty() ? 0 : minutes.rbegin()->minute().seconds(), firstMinute) + 60;
    time->setTickCount(int(std::clamp<qint64>((lastMinute - firstMinute) / 60 + 1, 2, 7)));
    time->setTruncateLabels(false);
    time->setRange(QDateTime::fromSecsSinceEpoch(firstMinute), QDateTime::fromSecsSinceEpoch(lastMinute));
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    for (QLineSeries *series : {first, second}) {
        if (!series)
            continue;
        series->attachAxis(time);
        series->attachAxis(values);
    }
}

} // namespace flywheel::ui
