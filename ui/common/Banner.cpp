#include "common/Banner.h"

namespace flywheel::ui {

Banner::Banner(Tone tone, QWidget *parent) : QLabel(parent), m_tone(tone)
{
    setObjectName(tone == Tone::Problem ? QStringLiteral("problemBanner") : QStringLiteral("informationBanner"));
    setWordWrap(true);
    setMargin(8);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The same colours as MessageBar's: red for what went wrong.
    setStyleSheet(tone == Tone::Problem ? QStringLiteral("background: #ffebe9; color: #82071e; border: 1px solid "
                                                         "#ff8182; border-radius: 4px; font-weight: bold;")
                                        : QStringLiteral("background: #ddf4ff; color: #0a3069; border: 1px solid "
                                                         "#54aeff; border-radius: 4px;"));
    hide();
}

void Banner::showText(const QString &text)
{
    setText(text);
    setVisible(!text.isEmpty());
}

QString Banner::shownText() const
{
    return isHidden() ? QString() : text();
}

} // namespace flywheel::ui
