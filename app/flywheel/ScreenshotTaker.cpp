#include "ScreenshotTaker.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QWidget>

namespace flywheel::app {

ScreenshotTaker::ScreenshotTaker(QWidget *target, QString file, QString pageName, std::chrono::milliseconds after,
                                 std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent), m_target(target), m_file(std::move(file)), m_pageName(std::move(pageName)), m_after(after),
      m_timeout(timeout)
{
    m_timeoutTimer.setSingleShot(true);
    m_afterTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &ScreenshotTaker::onTimeout);
    connect(&m_afterTimer, &QTimer::timeout, this, &ScreenshotTaker::render);
}

void ScreenshotTaker::start(bool hasData)
{
    if (m_state != State::Idle)
        return;
    if (hasData || m_gaveUp) {
        countDown();
        return;
    }
    m_state = State::WaitingForData;
    m_timeoutTimer.start(m_timeout);
}

void ScreenshotTaker::dataShown()
{
    if (m_state == State::WaitingForData)
        countDown();
}

void ScreenshotTaker::giveUpWaiting()
{
    if (m_state == State::Idle)
        m_gaveUp = true; // said before start(): it will not wait
    else
        dataShown();
}

void ScreenshotTaker::countDown()
{
    m_timeoutTimer.stop();
    m_state = State::CountingDown;
    m_afterTimer.start(m_after);
}

void ScreenshotTaker::onTimeout()
{
    if (m_state != State::WaitingForData)
        return;
    m_state = State::Done;
    const auto seconds = std::chrono::duration<double>(m_timeout).count();
    Q_EMIT finished(1, QCoreApplication::translate("flywheel", "the %1 page had no data after %2 s, so no screenshot "
                                                               "was written; is the backend running? (wait longer "
                                                               "with --screenshot-timeout)")
                           .arg(m_pageName)
                           .arg(seconds));
}

void ScreenshotTaker::render()
{
    m_state = State::Done;
    const QPixmap image = m_target->grab();
    if (!image.save(m_file, "PNG")) {
        Q_EMIT finished(1, QCoreApplication::translate("flywheel", "cannot write the screenshot to %1").arg(m_file));
        return;
    }
    Q_EMIT finished(0, QString());
}

} // namespace flywheel::app
